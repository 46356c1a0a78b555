package dev.advtrain.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link WeightAverage}: the average follows its recurrence (warm-up of the decay included) in
 * double precision, leaves the trained weights alone, is what judged listeners see, restarts after
 * a rollback and continues exactly from saved state; {@link Trainable#copy} is independent.
 */
class WeightAverageTest {

    private static final double DECAY = 0.9;
    private static final double TOLERANCE = 1e-12;

    @ParameterizedTest(name = "graph {0}")
    @ValueSource(booleans = {false, true})
    void averageFollowsTheRecurrenceAndLeavesTheTrainedWeightsAlone(boolean graph) {
        Trainable trained = trainable(graph);
        Trainable twin = trainable(graph);
        WeightAverage average = new WeightAverage(trained, DECAY);

        double[] expected = trained.model().params().toDoubleVector();
        for (int t = 0; t < 30; t++) {
            step(trained, t);
            step(twin, t);
            average.onBatchEnd(event(t));
            double d = Math.min(DECAY, (1.0 + t) / (10.0 + t));
            double[] w = trained.model().params().toDoubleVector();
            for (int i = 0; i < expected.length; i++) {
                expected[i] = d * expected[i] + (1 - d) * w[i];
            }
        }

        assertEquals(30, average.updates());
        assertArrayEquals(expected, average.params().toDoubleVector(), TOLERANCE, "not the moving average");
        assertEquals(twin.model().params(), trained.model().params(), "averaging changed the trained weights");
        double apart = average.params().sub(trained.model().params()).amaxNumber().doubleValue();
        assertTrue(apart > 1e-3, "the average is the last weights (" + apart + ")");
        // The averaged network computes with the averaged weights.
        INDArray x = features(99);
        Trainable byHand = trainable(graph);
        byHand.model().params().assign(average.params());
        assertEquals(byHand.output(x), average.average().output(x));
    }

    @Test
    void theDecayWarmsUpSoTheStartingWeightsFadeQuickly() {
        Trainable trained = trainable(false);
        WeightAverage average = new WeightAverage(trained, 0.999);
        INDArray start = trained.model().params().dup();
        for (int t = 0; t < 50; t++) {
            step(trained, t);
            average.onBatchEnd(event(t));
        }
        // Without the warm-up the starting weights would keep 0.999^50 = 95% of the average.
        double fromStart = average.params().distance2(start);
        double fromLast = average.params().distance2(trained.model().params());
        assertTrue(fromLast < fromStart, "the average stays at the start: " + fromLast + " vs " + fromStart);
    }

    @Test
    void judgedListenersSeeTheAverageAndOthersTheTrainedNetwork() {
        Trainable trained = trainable(false);
        WeightAverage average = new WeightAverage(trained, DECAY);
        List<Trainable> seen = new ArrayList<>();
        TrainingListener probe = new TrainingListener() {
            @Override
            public void onEpochEnd(Trainable model, EpochRecord record) {
                seen.add(model);
            }

            @Override
            public void onTrainingEnd(Trainable model) {
                seen.add(model);
            }
        };
        average.judged(probe).onEpochEnd(trained, new EpochRecord(1));
        average.judged(probe).onTrainingEnd(trained);
        probe.onEpochEnd(trained, new EpochRecord(1));
        assertSame(average.average(), seen.get(0));
        assertSame(average.average(), seen.get(1));
        assertSame(trained, seen.get(2));
    }

    @Test
    void aRollbackRestartsTheAverageAtTheRestoredWeights() {
        Trainable trained = trainable(false);
        WeightAverage average = new WeightAverage(trained, DECAY);
        for (int t = 0; t < 5; t++) {
            step(trained, t);
            average.onBatchEnd(event(t));
        }
        INDArray before = average.params().dup();
        average.onEpochEnd(trained, new EpochRecord(1).put("collapses", 0));
        assertEquals(before, average.params(), "an epoch without rollback changed the average");

        average.onEpochEnd(trained, new EpochRecord(2).put("rolled_back", 1));
        assertEquals(trained.model().params(), average.params());
        assertEquals(0, average.updates());
    }

    @Test
    void resumedFromSavedStateItContinuesExactly() {
        Trainable trained = trainable(false);
        WeightAverage whole = new WeightAverage(trained, DECAY);
        Trainable resumedTrained = trainable(false);
        WeightAverage first = new WeightAverage(resumedTrained, DECAY);
        for (int t = 0; t < 4; t++) {
            step(trained, t);
            whole.onBatchEnd(event(t));
            step(resumedTrained, t);
            first.onBatchEnd(event(t));
        }
        WeightAverage resumed = new WeightAverage(resumedTrained, DECAY).resume(first.params().dup(), first.updates());
        for (int t = 4; t < 10; t++) {
            step(trained, t);
            whole.onBatchEnd(event(t));
            step(resumedTrained, t);
            resumed.onBatchEnd(event(t));
        }
        assertEquals(whole.params(), resumed.params());
        assertEquals(10, resumed.updates());

        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(trained, DECAY).resume(Nd4j.zeros(3), 1));
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(trained, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(trained, 0.0));
    }

    @ParameterizedTest(name = "graph {0}")
    @ValueSource(booleans = {false, true})
    void aCopyIsIndependentOfItsOriginal(boolean graph) {
        Trainable original = trainable(graph);
        Trainable copy = original.copy();
        assertEquals(original.model().params(), copy.model().params());
        INDArray kept = original.model().params().dup();
        step(copy, 0);
        assertEquals(kept, original.model().params(), "training the copy moved the original");
        step(original, 1);
        step(original, 2);
        assertNotEquals(original.model().params(), copy.model().params());
    }

    private static void step(Trainable model, int t) {
        model.fit(features(t), labels(t));
    }

    private static TrainingListener.BatchEvent event(int t) {
        return new TrainingListener.BatchEvent(1, t, 100, t + 1, 0.1, 6, 1.0);
    }

    /** Dense tanh 12 -> 8, softmax 4; Adam; float64; always the same initial weights. */
    private static Trainable trainable(boolean graph) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(11)
                .dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.05))
                .list()
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(12))
                .build());
        network.init();
        return Trainable.of(graph ? network.toComputationGraph() : network);
    }

    private static INDArray features(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[6][12];
        for (double[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextDouble();
            }
        }
        return Nd4j.create(rows);
    }

    private static INDArray labels(long seed) {
        SplittableRandom random = new SplittableRandom(seed + 1000);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 6, 4);
        for (int r = 0; r < 6; r++) {
            labels.putScalar(r, random.nextInt(4), 1.0);
        }
        return labels;
    }
}
