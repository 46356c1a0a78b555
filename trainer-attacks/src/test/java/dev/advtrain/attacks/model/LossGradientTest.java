package dev.advtrain.attacks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.LossGradient;
import dev.advtrain.attacks.Losses;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gradients of the attack losses (cross-entropy, margin, DLR, targeted DLR): first of the losses
 * themselves in logit space, then through whole networks in inference mode, both against central
 * finite differences in float64.
 */
class LossGradientTest {

    private static final double H = 1e-6;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    private static List<Loss> losses(INDArray labels) {
        INDArray targets = Nd4j.zeros(DataType.DOUBLE, labels.shape());
        long[] truth = Nd4j.argMax(labels, 1).toLongVector();
        for (int i = 0; i < truth.length; i++) {
            targets.putScalar(i, (truth[i] + 1 + i) % labels.size(1) == truth[i] ? (truth[i] + 1) % labels.size(1)
                    : (truth[i] + 1 + i) % labels.size(1), 1.0);
        }
        return List.of(Losses.crossEntropy(), Losses.margin(), Losses.dlr(), Losses.targetedDlr(targets));
    }

    @Test
    void logitGradientsMatchFiniteDifferences() {
        INDArray logits = Nd4j.rand(DataType.DOUBLE, 5, 6).muli(8).subi(4);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 5, 6);
        for (int i = 0; i < 5; i++) {
            labels.putScalar(i, (i * 2) % 6, 1.0);
        }
        for (Loss loss : losses(labels)) {
            INDArray analytic = loss.gradient(logits, labels);
            INDArray numeric = numericGradient(z -> loss.value(z, labels).sumNumber().doubleValue(), logits);
            assertClose(loss.id(), numeric, analytic);
        }
    }

    @Test
    void crossEntropyMatchesTheSoftmaxLoss() {
        INDArray logits = Nd4j.rand(DataType.DOUBLE, 4, 5).muli(6);
        INDArray labels = Nd4j.eye(5).get(NDArrayIndex.interval(0, 4), NDArrayIndex.all());
        INDArray expected = Transforms.log(Transforms.softmax(logits, true), false).mul(labels).sum(1).neg();
        assertEquals(0.0, Losses.crossEntropy().value(logits, labels).sub(expected).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void multiLayerNetworkLossGradientsMatchFiniteDifferences() {
        MultiLayerNetwork net = TinyModels.cnnWithDropoutAndBatchNorm(8, DataType.DOUBLE);
        DataSet data = TinyData.quadrants(64, 3, DataType.DOUBLE);
        TinyModels.train(net, data, 15);
        assertNetworkGradients(net, Classifiers.of(net), x -> net.output(x, false), data);
    }

    @Test
    void computationGraphLossGradientsMatchFiniteDifferences() {
        ComputationGraph graph = TinyModels.graphWithDropoutAndBatchNorm(8, DataType.DOUBLE);
        DataSet data = TinyData.quadrants(64, 3, DataType.DOUBLE);
        TinyModels.train(graph, data, 15);
        assertNetworkGradients(graph, Classifiers.of(graph), x -> graph.outputSingle(false, x), data);
    }

    @Test
    void crossEntropyThroughTheLossTwinEqualsTheModelsOwnLossGradient() {
        MultiLayerNetwork net = TinyModels.cnnWithDropoutAndBatchNorm(9, DataType.DOUBLE);
        DataSet data = TinyData.quadrants(32, 4, DataType.DOUBLE);
        TinyModels.train(net, data, 10);
        DifferentiableClassifier classifier = Classifiers.of(net);
        INDArray own = classifier.lossGradient(data.getFeatures(), data.getLabels());
        INDArray viaLoss = classifier.gradient(data.getFeatures(), Losses.crossEntropy(), data.getLabels()).input();
        assertEquals(0.0, own.sub(viaLoss).amaxNumber().doubleValue() / own.amaxNumber().doubleValue(), 1e-9);
    }

    private static void assertNetworkGradients(Model model, DifferentiableClassifier classifier,
            Function<INDArray, INDArray> inferenceOutput, DataSet data) {
        INDArray x = data.getFeatures().get(NDArrayIndex.interval(0, 3)).dup();
        INDArray y = data.getLabels().get(NDArrayIndex.interval(0, 3)).dup();
        for (Loss loss : losses(y)) {
            LossGradient gradient = classifier.gradient(x, loss, y);
            // Every loss depends on logit differences only, so log-probabilities stand in for logits.
            INDArray numeric = numericGradient(
                    in -> loss.value(Transforms.log(inferenceOutput.apply(in), false), y).sumNumber().doubleValue(), x);
            assertClose(loss.id() + " on " + model.getClass().getSimpleName(), numeric, gradient.input());
            INDArray probabilities = Transforms.softmax(gradient.logits(), true);
            assertEquals(0.0, probabilities.sub(inferenceOutput.apply(x)).amaxNumber().doubleValue(), 1e-10,
                    "returned logits are not the model's");
        }
    }

    private static INDArray numericGradient(Function<INDArray, Double> f, INDArray at) {
        INDArray x = at.dup();
        INDArray numeric = Nd4j.zeros(DataType.DOUBLE, x.shape());
        for (int i = 0; i < x.length(); i++) {
            double original = x.getDouble(i);
            x.putScalar(i, original + H);
            double plus = f.apply(x);
            x.putScalar(i, original - H);
            double minus = f.apply(x);
            x.putScalar(i, original);
            numeric.putScalar(i, (plus - minus) / (2 * H));
        }
        return numeric;
    }

    private static void assertClose(String what, INDArray numeric, INDArray analytic) {
        double scale = numeric.amaxNumber().doubleValue();
        assertTrue(scale > 1e-6, what + ": degenerate test, zero gradient");
        double error = analytic.sub(numeric).amaxNumber().doubleValue() / scale;
        assertTrue(error < 1e-5, what + ": relative error vs finite differences " + error);
    }
}
