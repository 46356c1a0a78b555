package dev.advtrain.core.data;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDataSetIteratorTest {

    private static final LabeledImages DATA = SyntheticImages.indexed(103, 1, 4, 5, 10, 42L);

    /** Returns the example indices one epoch serves, in order, checking every batch on the way. */
    private static List<Integer> drainEpoch(ImageDataSetIterator it) {
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            DataSet batch = it.next();
            INDArray x = batch.getFeatures();
            INDArray y = batch.getLabels();
            for (int r = 0; r < x.rows(); r++) {
                int index = SyntheticImages.indexOf(x.getFloat(r, 0), x.getFloat(r, 1));
                assertEquals(1f, y.getRow(r).sumNumber().floatValue(), "one-hot row sums to 1");
                assertEquals(1f, y.getFloat(r, DATA.label(index)), "hot at the example's label");
                assertArrayEquals(DATA.pixels(index), x.getRow(r).toFloatVector(), "features of example " + index);
                seen.add(index);
            }
        }
        return seen;
    }

    @Test
    void batchesHaveTheModelShapesAndFloat32() {
        ImageDataSetIterator it = ImageDataSetIterator.builder(DATA).batchSize(32).shuffle(1L).build();

        DataSet batch = it.next();
        assertArrayEquals(new long[] {32, 20}, batch.getFeatures().shape());
        assertArrayEquals(new long[] {32, 10}, batch.getLabels().shape());
        assertEquals(DataType.FLOAT, batch.getFeatures().dataType());
        assertEquals(DataType.FLOAT, batch.getLabels().dataType());
        assertTrue(batch.getFeatures().minNumber().floatValue() >= 0f);
        assertTrue(batch.getFeatures().maxNumber().floatValue() <= 1f);
        assertEquals(20, it.inputColumns());
        assertEquals(10, it.totalOutcomes());
        assertEquals(32, it.batch());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), it.getLabels());
        assertTrue(it.resetSupported());
        assertFalse(it.asyncSupported());
    }

    @Test
    void everyExampleOnceAndTheLastBatchIsPartial() {
        ImageDataSetIterator it = ImageDataSetIterator.builder(DATA).batchSize(25).shuffle(1L).build();
        assertEquals(5, it.batchesPerEpoch());

        List<Long> batchSizes = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            DataSet batch = it.next();
            batchSizes.add(batch.getFeatures().size(0));
            for (int r = 0; r < batch.numExamples(); r++) {
                INDArray x = batch.getFeatures();
                seen.add(SyntheticImages.indexOf(x.getFloat(r, 0), x.getFloat(r, 1)));
            }
        }
        assertEquals(List.of(25L, 25L, 25L, 25L, 3L), batchSizes);
        assertEachOnce(seen, 103);
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void featuresAndOneHotLabelsMatchTheExamples() {
        ImageDataSetIterator it = ImageDataSetIterator.builder(DATA).batchSize(16).shuffle(9L).build();
        for (int epoch = 0; epoch < 3; epoch++) {
            assertEachOnce(drainEpoch(it), 103);
            it.reset();
        }
        assertEquals(3, it.epoch());
    }

    @Test
    void sequentialOrderWithoutShuffle() {
        ImageDataSetIterator it = ImageDataSetIterator.builder(DATA).batchSize(10).build();
        List<Integer> first = drainEpoch(it);
        it.reset();
        assertEquals(range(103), first);
        assertEquals(range(103), drainEpoch(it));
    }

    @Test
    void sameSeedAndEpochGiveTheSameOrder() {
        ImageDataSetIterator a = ImageDataSetIterator.builder(DATA).batchSize(7).shuffle(123L).build();
        ImageDataSetIterator b = ImageDataSetIterator.builder(DATA).batchSize(50).shuffle(123L).build();
        assertEquals(drainEpoch(a), drainEpoch(b), "the order does not depend on the batch size");

        a.setEpoch(5);
        b.setEpoch(5);
        assertEquals(drainEpoch(a), drainEpoch(b));
    }

    @Test
    void differentEpochsAndSeedsGiveDifferentOrders() {
        ImageDataSetIterator it = ImageDataSetIterator.builder(DATA).batchSize(64).shuffle(123L).build();
        List<Integer> epoch0 = drainEpoch(it);
        it.reset();
        List<Integer> epoch1 = drainEpoch(it);
        assertNotEquals(epoch0, epoch1);
        assertNotEquals(range(103), epoch0, "shuffled");

        ImageDataSetIterator other = ImageDataSetIterator.builder(DATA).batchSize(64).shuffle(124L).build();
        assertNotEquals(epoch0, drainEpoch(other));
    }

    @Test
    void setEpochReproducesTheOrderOfAnInterruptedRun() {
        ImageDataSetIterator original = ImageDataSetIterator.builder(DATA).batchSize(10).shuffle(77L).build();
        List<List<Integer>> epochs = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            epochs.add(drainEpoch(original));
            original.reset();
        }
        ImageDataSetIterator resumed = ImageDataSetIterator.builder(DATA).batchSize(10).shuffle(77L).build();
        resumed.setEpoch(2);
        assertEquals(epochs.get(2), drainEpoch(resumed));
        resumed.reset();
        assertEquals(epochs.get(3), drainEpoch(resumed));

        resumed.setEpoch(0);
        resumed.next();
        resumed.setEpoch(0);
        assertEquals(epochs.get(0), drainEpoch(resumed), "setEpoch restarts the epoch");
    }

    @Test
    void resetBeforeTheFirstBatchKeepsTheEpoch() {
        ImageDataSetIterator it = ImageDataSetIterator.builder(DATA).shuffle(5L).build();
        it.reset();
        it.reset();
        assertEquals(0, it.epoch());
        it.next();
        it.reset();
        assertEquals(1, it.epoch(), "a partly served epoch is finished by reset");
        assertTrue(it.hasNext());
    }

    @Test
    void limitUsesTheFirstExamplesEveryEpoch() {
        ImageDataSetIterator it = ImageDataSetIterator.builder(DATA).batchSize(4).limit(10).shuffle(3L).build();
        assertEquals(10, it.examplesPerEpoch());
        assertEquals(3, it.batchesPerEpoch());
        for (int e = 0; e < 3; e++) {
            assertEachOnce(drainEpoch(it), 10);
            it.reset();
        }
        assertEquals(103, ImageDataSetIterator.builder(DATA).limit(1000).build().examplesPerEpoch());
    }

    @Test
    void nextWithACountAndThePreProcessor() {
        ImageDataSetIterator it = ImageDataSetIterator.builder(DATA).batchSize(10).build();
        it.setPreProcessor(ds -> ds.getFeatures().muli(2));
        assertEquals(3, it.next(3).numExamples());
        DataSet rest = it.next(1000);
        assertEquals(100, rest.numExamples());
        assertEquals(2 * DATA.pixel(3, 5), rest.getFeatures().getFloat(0, 5), 1e-7);
        assertThrows(IllegalArgumentException.class, () -> ImageDataSetIterator.builder(DATA).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> it.setEpoch(-1));
    }

    @Test
    void dl4jFitsOverEpochsWithIt() {
        LabeledImages data = SyntheticImages.indexed(40, 1, 4, 4, 10, 3L);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(4, 4, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ImageDataSetIterator it = ImageDataSetIterator.builder(data).batchSize(16).shuffle(1L).build();

        net.fit(it, 3);

        assertEquals(2, it.epoch(), "DL4J resets the exhausted iterator before each later epoch");
        assertEquals(9, net.getIterationCount());
    }

    private static void assertEachOnce(List<Integer> seen, int n) {
        assertEquals(n, seen.size());
        int[] sorted = seen.stream().mapToInt(Integer::intValue).sorted().toArray();
        assertArrayEquals(range(n).stream().mapToInt(Integer::intValue).toArray(), sorted);
    }

    private static List<Integer> range(int n) {
        Integer[] values = new Integer[n];
        Arrays.setAll(values, i -> i);
        return List.of(values);
    }
}
