package dev.advtrain.core.train.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Tiny float64 networks and stacked (clean, then adversarial) batches for the pair losses' tests. */
final class StackedBatches {

    static final int FEATURES = 5;
    static final int CLASSES = 3;

    private StackedBatches() {
    }

    /** Dense 5 - 4 (tanh) - 3 (softmax) with {@code loss} on the output layer, in float64. */
    static MultiLayerNetwork network(ILossFunction loss) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(4).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    /** 2N rows: N random clean rows, then each plus small noise; both halves labelled i mod 3. */
    static DataSet batch(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[2 * n][FEATURES];
        double[][] y = new double[2 * n][CLASSES];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < FEATURES; f++) {
                x[i][f] = 2 * random.nextDouble() - 1;
                x[n + i][f] = x[i][f] + 0.3 * random.nextGaussian();
            }
            y[i][i % CLASSES] = 1;
            y[n + i][i % CLASSES] = 1;
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    /** Random logits [2N, C] of spread {@code scale}, one-hot labels i mod C on both halves. */
    static DataSet logits(int n, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] z = new double[2 * n][CLASSES];
        double[][] y = new double[2 * n][CLASSES];
        for (int i = 0; i < 2 * n; i++) {
            for (int k = 0; k < CLASSES; k++) {
                z[i][k] = scale * random.nextGaussian();
            }
            y[i][(i % n) % CLASSES] = 1;
        }
        return new DataSet(Nd4j.create(z), Nd4j.create(y));
    }

    /** The output layer's pre-activation values of the network at x. */
    static INDArray networkLogits(MultiLayerNetwork network, INDArray x) {
        INDArray hidden = network.feedForward(x, false).get(1);
        return hidden.mmul(network.getLayer(1).getParam("W")).addRowVector(network.getLayer(1).getParam("b"));
    }

    /** Central differences of the summed (not averaged) score with respect to each logit. */
    static INDArray numericalLogitGradient(ILossFunction loss, INDArray labels, INDArray logits, double h) {
        INDArray gradient = Nd4j.zeros(DataType.DOUBLE, logits.shape());
        for (int i = 0; i < logits.size(0); i++) {
            for (int k = 0; k < logits.size(1); k++) {
                double original = logits.getDouble(i, k);
                logits.putScalar(i, k, original + h);
                double plus = loss.computeScore(labels, logits, new ActivationSoftmax(), null, false);
                logits.putScalar(i, k, original - h);
                double minus = loss.computeScore(labels, logits, new ActivationSoftmax(), null, false);
                logits.putScalar(i, k, original);
                gradient.putScalar(i, k, (plus - minus) / (2 * h));
            }
        }
        return gradient;
    }

    /** Asserts relative error below {@code tolerance} (or both values within 1e-8 of each other). */
    static void assertClose(double expected, double actual, double tolerance, String what) {
        double absolute = Math.abs(expected - actual);
        double relative = absolute / Math.max(Math.abs(expected) + Math.abs(actual), 1e-300);
        assertTrue(absolute < 1e-8 || relative < tolerance,
                what + ": expected " + expected + ", got " + actual + " (relative error " + relative + ")");
    }
}
