package dev.advtrain.core.train.loss;

import static dev.advtrain.core.train.loss.StackedBatches.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * What TRADES and MART share as DL4J losses on a stacked batch: values equal to the papers'
 * formulas, DL4J's score equal to the mean over pairs, exact gradients, serialisation.
 *
 * <p>Scaling established from DL4J's sources: the network's score is the loss's summed score
 * divided by the row count 2N, and {@code computeGradientAndScore} leaves the parameter gradient
 * undivided (the updater divides by 2N later), so the parameter gradient is the gradient of
 * {@code score * 2N}.
 */
class StackedPairLossTest extends DoublePrecisionTest {

    private static final int PAIRS = 4;
    private static final double BETA = 6.0;

    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of("TRADES", new TradesLoss(BETA), (PairReference.Formula) PairReference::trades),
                Arguments.of("MART", new MartLoss(BETA), (PairReference.Formula) PairReference::mart));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void valuesAreThePapersPerPairLosses(String name, ILossFunction loss, PairReference.Formula reference) {
        DataSet batch = StackedBatches.logits(PAIRS, 3.0, 5);
        double[][] z = batch.getFeatures().toDoubleMatrix();
        double[] expected = new double[PAIRS];
        double sum = 0;
        for (int i = 0; i < PAIRS; i++) {
            expected[i] = reference.pair(z[i], z[PAIRS + i], i % StackedBatches.CLASSES, BETA);
            sum += expected[i];
        }
        INDArray scores = loss.computeScoreArray(batch.getLabels(), batch.getFeatures(), new ActivationSoftmax(), null);
        assertEquals(2 * PAIRS, scores.size(0));
        assertEquals(1, scores.size(1));
        for (int i = 0; i < PAIRS; i++) {
            assertClose(expected[i], scores.getDouble(i, 0), 1e-12, name + " pair " + i + ", clean row");
            assertClose(expected[i], scores.getDouble(PAIRS + i, 0), 1e-12, name + " pair " + i + ", adversarial row");
        }
        ActivationSoftmax softmax = new ActivationSoftmax();
        assertClose(2 * sum, loss.computeScore(batch.getLabels(), batch.getFeatures(), softmax, null, false), 1e-12,
                "summed score");
        assertClose(sum / PAIRS, loss.computeScore(batch.getLabels(), batch.getFeatures(), softmax, null, true), 1e-12,
                "averaged score");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void networkScoreIsTheMeanOverPairs(String name, ILossFunction loss, PairReference.Formula reference) {
        MultiLayerNetwork network = StackedBatches.network(loss);
        DataSet batch = StackedBatches.batch(PAIRS, 3);
        double[][] z = StackedBatches.networkLogits(network, batch.getFeatures()).toDoubleMatrix();
        double mean = 0;
        for (int i = 0; i < PAIRS; i++) {
            mean += reference.pair(z[i], z[PAIRS + i], i % StackedBatches.CLASSES, BETA) / PAIRS;
        }
        assertClose(mean, network.score(batch), 1e-10, name + " score(dataSet)");
        network.setInput(batch.getFeatures());
        network.setLabels(batch.getLabels());
        network.computeGradientAndScore();
        assertClose(mean, network.score(), 1e-10, name + " score after computeGradientAndScore");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void parameterGradientsMatchFiniteDifferences(String name, ILossFunction loss, PairReference.Formula reference) {
        MultiLayerNetwork network = StackedBatches.network(loss);
        DataSet batch = StackedBatches.batch(PAIRS, 11);
        network.setInput(batch.getFeatures());
        network.setLabels(batch.getLabels());
        network.computeGradientAndScore();
        INDArray analytic = network.gradient().gradient().dup();
        INDArray params = network.params();
        double rows = batch.numExamples();
        double h = 1e-6;
        for (int j = 0; j < params.length(); j++) {
            double original = params.getDouble(j);
            params.putScalar(j, original + h);
            double plus = network.score(batch, true) * rows;
            params.putScalar(j, original - h);
            double minus = network.score(batch, true) * rows;
            params.putScalar(j, original);
            assertClose((plus - minus) / (2 * h), analytic.getDouble(j), 1e-5, name + " parameter " + j);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void logitGradientsMatchFiniteDifferencesOnBothHalves(String name, ILossFunction loss,
            PairReference.Formula reference) {
        DataSet batch = StackedBatches.logits(PAIRS, 2.0, 9);
        INDArray analytic = loss.computeGradient(batch.getLabels(), batch.getFeatures(), new ActivationSoftmax(), null);
        INDArray numeric = StackedBatches.numericalLogitGradient(loss, batch.getLabels(), batch.getFeatures(), 1e-6);
        for (int i = 0; i < 2 * PAIRS; i++) {
            for (int k = 0; k < StackedBatches.CLASSES; k++) {
                assertClose(numeric.getDouble(i, k), analytic.getDouble(i, k), 1e-6,
                        name + " logit [" + i + ", " + k + "]");
            }
        }
        assertTrue(analytic.get(NDArrayIndex.interval(0, PAIRS)).norm2Number().doubleValue() > 0.1,
                name + ": no gradient through the clean half");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void configurationSurvivesJsonCloneAndModelSerializer(String name, ILossFunction loss,
            PairReference.Formula reference, @TempDir File dir) throws Exception {
        MultiLayerNetwork network = StackedBatches.network(loss);
        String json = network.getLayerWiseConfigurations().toJson();
        assertTrue(json.contains("\"beta\" : 6.0"), json);
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(json);
        assertEquals(loss, outputLoss(restored));

        MultiLayerNetwork clone = network.clone();
        assertEquals(loss, outputLoss(clone.getLayerWiseConfigurations()));
        DataSet batch = StackedBatches.batch(PAIRS, 2);
        assertEquals(network.score(batch), clone.score(batch), 1e-12);

        File file = new File(dir, "model.zip");
        ModelSerializer.writeModel(network, file, false);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file);
        ILossFunction loadedLoss = outputLoss(loaded.getLayerWiseConfigurations());
        assertEquals(loss, loadedLoss);
        assertNotSame(loss, loadedLoss);
        assertEquals(network.score(batch), loaded.score(batch), 1e-12);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void rejectsWhatTheStackedConventionCannotMean(String name, ILossFunction loss, PairReference.Formula reference) {
        DataSet batch = StackedBatches.logits(PAIRS, 1.0, 1);
        INDArray labels = batch.getLabels();
        INDArray logits = batch.getFeatures();
        ActivationSoftmax softmax = new ActivationSoftmax();
        INDArray oddLabels = labels.get(NDArrayIndex.interval(0, 2 * PAIRS - 1));
        INDArray oddLogits = logits.get(NDArrayIndex.interval(0, 2 * PAIRS - 1));
        assertMessage("odd row count", () -> loss.computeScore(oddLabels, oddLogits, softmax, null, true));
        assertMessage("softmax", () -> loss.computeGradient(labels, logits, new ActivationIdentity(), null));
        assertMessage("mask", () -> loss.computeScoreArray(labels, logits, softmax, Nd4j.ones(2 * PAIRS, 1)));
    }

    private static void assertMessage(String part, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static ILossFunction outputLoss(MultiLayerConfiguration conf) {
        return ((OutputLayer) conf.getConf(1).getLayer()).getLossFn();
    }
}
