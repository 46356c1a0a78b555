package dev.advtrain.attacks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.function.Function;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Inference-mode input gradients against central finite differences of the deployed model's loss
 * (float64), for networks with dropout and batch normalization, where DL4J's own backward pass
 * would differentiate the training-mode forward pass instead.
 */
class InputGradientTest {

    private static final double H = 1e-6;

    @BeforeEach
    void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }

    @Test
    void multiLayerNetworkGradientMatchesFiniteDifferencesOfInferenceLoss() {
        MultiLayerNetwork net = TinyModels.cnnWithDropoutAndBatchNorm(7, DataType.DOUBLE);
        DataSet data = TinyData.quadrants(64, 1, DataType.DOUBLE);
        TinyModels.train(net, data, 15);
        DifferentiableClassifier classifier = Classifiers.of(net);

        assertGradientMatches(classifier, x -> net.output(x, false), data);

        // The twin follows the network as it keeps training (parameters and batch-norm statistics).
        TinyModels.train(net, data, 10);
        assertGradientMatches(classifier, x -> net.output(x, false), data);
    }

    @Test
    void computationGraphGradientMatchesFiniteDifferencesOfInferenceLoss() {
        ComputationGraph graph = TinyModels.graphWithDropoutAndBatchNorm(7, DataType.DOUBLE);
        DataSet data = TinyData.quadrants(64, 1, DataType.DOUBLE);
        TinyModels.train(graph, data, 15);
        DifferentiableClassifier classifier = Classifiers.of(graph);

        assertGradientMatches(classifier, x -> graph.outputSingle(false, x), data);
        TinyModels.train(graph, data, 10);
        assertGradientMatches(classifier, x -> graph.outputSingle(false, x), data);
    }

    @Test
    void trainingModeGradientDiffersFromInferenceModeOnBatchNormNetwork() {
        MultiLayerNetwork net = TinyModels.cnnWithDropoutAndBatchNorm(7, DataType.DOUBLE);
        DataSet data = TinyData.quadrants(64, 1, DataType.DOUBLE);
        TinyModels.train(net, data, 15);
        INDArray x = data.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8));
        INDArray y = data.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 8));

        INDArray inference = Classifiers.of(net, GradientMode.INFERENCE).lossGradient(x, y);
        INDArray training = Classifiers.of(net, GradientMode.TRAINING).lossGradient(x, y);

        double relative = inference.sub(training).norm2Number().doubleValue() / inference.norm2Number().doubleValue();
        assertTrue(relative > 0.05, "training and inference gradients should differ, relative difference " + relative);
    }

    @Test
    void gradientIsPerExampleSumNotBatchMean() {
        MultiLayerNetwork net = TinyModels.mlp(3, DataType.DOUBLE);
        DataSet data = TinyData.quadrants(16, 2, DataType.DOUBLE);
        DifferentiableClassifier classifier = Classifiers.of(net);
        INDArray alone = classifier.lossGradient(data.getFeatures().getRow(0, true), data.getLabels().getRow(0, true));
        INDArray inBatch = classifier.lossGradient(data.getFeatures(), data.getLabels()).getRow(0, true);
        assertEquals(0.0, alone.sub(inBatch).amaxNumber().doubleValue(), 1e-12);
    }

    private static void assertGradientMatches(DifferentiableClassifier classifier,
            Function<INDArray, INDArray> inferenceOutput, DataSet data) {
        INDArray x = data.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).dup();
        INDArray y = data.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)).dup();
        INDArray analytic = classifier.lossGradient(x, y);
        assertEquals(x.shapeInfoToString().replaceAll("Rank.*Shape", ""),
                analytic.shapeInfoToString().replaceAll("Rank.*Shape", ""));

        INDArray numeric = Nd4j.zeros(DataType.DOUBLE, x.shape());
        for (int i = 0; i < x.length(); i++) {
            double original = x.getDouble(i);
            x.putScalar(i, original + H);
            double plus = summedCrossEntropy(inferenceOutput.apply(x), y);
            x.putScalar(i, original - H);
            double minus = summedCrossEntropy(inferenceOutput.apply(x), y);
            x.putScalar(i, original);
            numeric.putScalar(i, (plus - minus) / (2 * H));
        }
        double scale = Math.max(numeric.amaxNumber().doubleValue(), 1e-8);
        double maxError = analytic.sub(numeric).amaxNumber().doubleValue() / scale;
        assertTrue(numeric.amaxNumber().doubleValue() > 1e-6, "degenerate test: zero gradient");
        assertTrue(maxError < 1e-5, "relative error vs finite differences: " + maxError);
    }

    private static double summedCrossEntropy(INDArray probabilities, INDArray oneHot) {
        return -Transforms.log(probabilities, true).mul(oneHot).sumNumber().doubleValue();
    }

}
