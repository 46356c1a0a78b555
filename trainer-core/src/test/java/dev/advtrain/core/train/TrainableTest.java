package dev.advtrain.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * {@link Trainable} over a {@link MultiLayerNetwork} and over its {@link ComputationGraph} twin
 * (same layers, same initial weights): the hand-made step with the input gradient is DL4J's {@code
 * fit} step, snapshots restore exactly, and a swapped loss always comes back.
 *
 * <p>The networks are tiny, in float64 (set on the configuration, not globally), with Adam so the
 * updater state matters and weight decay so the regularisation score matters.
 */
class TrainableTest {

    private static final int INPUTS = 12;
    private static final int CLASSES = 4;
    private static final int ROWS = 6;
    private static final double TOLERANCE = 1e-10;

    private final INDArray x1 = features(1);
    private final INDArray y1 = labels(2);
    private final INDArray x2 = features(3);
    private final INDArray y2 = labels(4);

    @ParameterizedTest(name = "graph {0}")
    @ValueSource(booleans = {false, true})
    void stepsWithInputGradientAreFitSteps(boolean graph) {
        Trainable fitted = Trainable.of(graph ? network().toComputationGraph() : network());
        Trainable stepped = Trainable.of(graph ? network().toComputationGraph() : network());
        MultiLayerNetwork reference = network();

        for (INDArray[] batch : new INDArray[][] {{x1, y1}, {x2, y2}}) {
            INDArray x = batch[0];
            INDArray y = batch[1];
            INDArray expectedGradient = reference.calculateGradients(x, y, null, null).getSecond().dup();
            double expectedLoss = reference.score(new DataSet(x, y));
            Trainable.of(reference).fit(x, y);

            double fitLoss = fitted.fit(x, y);
            Trainable.StepWithInputGradient step = stepped.fitWithInputGradient(x, y);

            assertEquals(expectedLoss, fitLoss, TOLERANCE, "fit's loss is not the batch's score before the step");
            assertEquals(expectedLoss, step.loss(), TOLERANCE, "the step's loss is not the batch's score before the step");
            assertClose(expectedGradient, step.inputGradient(), "input gradient");
            assertClose(fitted.model().params(), stepped.model().params(), "parameters");
            assertClose(updaterState(fitted), updaterState(stepped), "updater state");
            assertEquals(fitted.iterationCount(), stepped.iterationCount(), "iteration count");
        }
        assertEquals(2, stepped.iterationCount());
        assertNotEquals(network().params(), stepped.model().params(), "the steps did not move the weights");
    }

    /** Central differences of the summed loss, {@code rows x mean score}, on a few input coordinates. */
    @ParameterizedTest(name = "graph {0}")
    @ValueSource(booleans = {false, true})
    void inputGradientIsThatOfTheSummedLossAtThePreStepWeights(boolean graph) {
        MultiLayerNetwork before = network();
        Trainable model = Trainable.of(graph ? network().toComputationGraph() : network());
        INDArray gradient = model.fitWithInputGradient(x1, y1).inputGradient();

        assertArrayEquals(x1.shape(), gradient.shape(), "shape");
        double h = 1e-6;
        for (int[] at : new int[][] {{0, 0}, {1, 5}, {3, 11}, {5, 7}}) {
            INDArray plus = x1.dup();
            plus.putScalar(at, x1.getDouble(at) + h);
            INDArray minus = x1.dup();
            minus.putScalar(at, x1.getDouble(at) - h);
            double numeric = ROWS * (before.score(new DataSet(plus, y1)) - before.score(new DataSet(minus, y1))) / (2 * h);
            assertEquals(numeric, gradient.getDouble(at), 1e-6, "d loss / d x at " + at[0] + "," + at[1]);
        }
    }

    @ParameterizedTest(name = "graph {0}")
    @ValueSource(booleans = {false, true})
    void restorePutsBackTheSnapshotsParamsAndUpdaterStateButNotTheIterationCount(boolean graph) {
        Trainable model = Trainable.of(graph ? network().toComputationGraph() : network());
        model.fit(x1, y1);
        INDArray params = model.model().params().dup();
        INDArray state = updaterState(model).dup();
        Trainable.Snapshot snapshot = model.snapshot();
        assertEquals(1, snapshot.iteration());

        for (int round = 0; round < 2; round++) { // the second round: restoring did not tie the snapshot to the model
            model.fit(x2, y2);
            model.fitWithInputGradient(x1, y1);
            assertNotEquals(params, model.model().params());
            assertNotEquals(state, updaterState(model));
            model.restore(snapshot);
            assertEquals(params, model.model().params(), "parameters");
            assertEquals(state, updaterState(model), "updater state");
        }
        assertEquals(5, model.iterationCount(), "the iteration count goes on");
    }

    @ParameterizedTest(name = "graph {0}")
    @ValueSource(booleans = {false, true})
    void aSwappedLossTrainsUntilClosedAndTheOriginalComesBack(boolean graph) {
        Trainable model = Trainable.of(graph ? network().toComputationGraph() : network());
        ILossFunction original = model.outputLayerConf().getLossFn();
        ScoreRecordingLoss swapped = new ScoreRecordingLoss(new LossMCXENT());
        try (Trainable.LossSwap ignored = model.useLoss(swapped)) {
            assertSame(swapped, model.outputLayerConf().getLossFn());
            model.fit(x1, y1);
        }
        double seen = swapped.meanScore();
        assertTrue(Double.isFinite(seen), "training did not use the swapped loss");
        assertSame(original, model.outputLayerConf().getLossFn());
        model.fit(x2, y2);
        assertEquals(seen, swapped.meanScore(), "training still used the swapped loss after close");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            try (Trainable.LossSwap ignored = model.useLoss(new LossMSE())) {
                throw new IllegalStateException("the body failed");
            }
        });
        assertEquals("the body failed", thrown.getMessage());
        assertSame(original, model.outputLayerConf().getLossFn());
    }

    @Test
    void fitWithInputGradientKeepsTheOutputLayersLoss() {
        Trainable model = Trainable.of(network());
        ILossFunction original = model.outputLayerConf().getLossFn();
        model.fitWithInputGradient(x1, y1);
        assertSame(original, model.outputLayerConf().getLossFn());
    }

    /** Dense tanh 12 -> 8, softmax 4; Adam, weight decay; float64; always the same initial weights. */
    private static MultiLayerNetwork network() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(11)
                .dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.05))
                .weightDecay(0.01)
                .list()
                .layer(new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(INPUTS))
                .build());
        network.init();
        return network;
    }

    private static INDArray updaterState(Trainable model) {
        return model.model() instanceof ComputationGraph graph ? graph.getUpdater().getStateViewArray()
                : ((MultiLayerNetwork) model.model()).getUpdater().getStateViewArray();
    }

    private static INDArray features(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[ROWS][INPUTS];
        for (double[] row : rows) {
            for (int i = 0; i < INPUTS; i++) {
                row[i] = random.nextDouble();
            }
        }
        return Nd4j.create(rows);
    }

    private static INDArray labels(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, ROWS, CLASSES);
        for (int r = 0; r < ROWS; r++) {
            labels.putScalar(r, random.nextInt(CLASSES), 1.0);
        }
        return labels;
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double difference = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(difference < TOLERANCE, what + " differs by up to " + difference);
    }
}
