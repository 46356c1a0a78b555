package dev.advtrain.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.testing.LearnableMnist;
import dev.advtrain.core.train.EpsilonSchedule;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.recipe.BatchTrainer;
import dev.advtrain.core.train.recipe.BatchTrainers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The workers' hook and the local trainer build the same adversarial batch: the same rows attacked,
 * the same attack, the same seed, from the same weights.
 */
class AdversarialHookTest {

    private static final LabeledImages IMAGES = LearnableMnist.images(100, 1);

    private static RunConfig config(String... sets) {
        List<String> all = new java.util.ArrayList<>(List.of("model.arch=mlp", "training.batch_size=20",
                "adversarial.eps=0.15", "distributed.master=local[2]"));
        all.addAll(List.of(sets));
        return ConfigLoader.load(null, all, Map.of()).validate();
    }

    /** The adversarial rows the local recipe trains batch {@code index} of epoch 1 on, and the batch. */
    private static INDArray[] localBatch(RunConfig config, Trainable model, DataSet batch, BatchPlan plan) {
        INDArray[] seen = new INDArray[2];
        BatchTrainers.of(config.adversarial(), model).train(plan.batch(batch.getFeatures(), batch.getLabels()),
                (x, y, xAdv, yAdv) -> {
                    seen[0] = x == null ? null : x.dup();
                    seen[1] = xAdv == null ? null : xAdv.dup();
                });
        return seen;
    }

    private static Trainable fresh(RunConfig config) {
        return Trainable.of(ModelFactory.create(config.model(), config.training(), config.seed(), 5));
    }

    @SuppressWarnings("unchecked")
    private static <T> T throughJavaSerialisation(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @ParameterizedTest
    @CsvSource({"fast-at, mix", "pgd-at, mix", "n-fgsm, adversarial-only", "fast-at, alternate"})
    void hookMakesTheBatchTheLocalTrainerTrainsOn(String recipe, String policy) throws Exception {
        RunConfig config = config("adversarial.recipe=" + recipe, "adversarial.mixing.policy=" + policy);
        EpochMinibatches minibatches = new EpochMinibatches(IMAGES, 20, config.seed());
        List<DataSet> epoch = minibatches.epoch(1, EpsilonSchedule.of(0.15, 0, 5), 1.0);
        DataSet shipped = throughJavaSerialisation(epoch.get(1)); // as Spark keeps it: MEMORY_ONLY_SER
        BatchPlan plan = BatchPlan.of(shipped.getExampleMetaData());
        assertEquals(new BatchPlan(1, 0.15, 1.0, plan.seed()), plan);

        Trainable local = fresh(config);
        Model replica = ((MultiLayerNetwork) local.model()).clone();
        INDArray[] expected = localBatch(config, local, shipped.copy(), plan);
        INDArray clean = shipped.getFeatures().dup();
        AdversarialHook hook = throughJavaSerialisation(new AdversarialHook(config.toYaml()));
        hook.preUpdate(shipped, replica);

        int k = expected[1] == null ? 0 : (int) expected[1].size(0);
        INDArray features = shipped.getFeatures();
        if (k > 0) {
            assertEquals(expected[1], features.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()));
            assertNotEquals(clean.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()),
                    features.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()), "no row was attacked");
        }
        if (k < 20) {
            assertEquals(clean.get(NDArrayIndex.interval(k, 20), NDArrayIndex.all()),
                    features.get(NDArrayIndex.interval(k, 20), NDArrayIndex.all()));
        }
        assertEquals(policy.equals("mix") ? 10 : 20, k); // alternate: batch 1 is the first adversarial one
    }

    @Test
    void multiDataSetMinibatchesOfGraphsAreAttackedThroughTheirFirstInput() throws Exception {
        RunConfig config = config("adversarial.mixing.policy=adversarial-only");
        DataSet batch = new EpochMinibatches(IMAGES, 20, config.seed()).epoch(1, EpsilonSchedule.of(0.15, 0, 5), 1.0)
                .get(0);
        Trainable local = fresh(config);
        Model replica = ((MultiLayerNetwork) local.model()).clone();
        BatchPlan plan = BatchPlan.of(batch.getExampleMetaData());
        INDArray[] expected = localBatch(config, local, batch.copy(), plan);
        MultiDataSet multi = new MultiDataSet(batch.getFeatures().dup(), batch.getLabels());
        multi.setExampleMetaData(batch.getExampleMetaData());
        new AdversarialHook(config.toYaml()).preUpdate(multi, replica);
        assertEquals(expected[1], multi.getFeatures(0));
    }

    @Test
    void aBatchWithoutItsPlanIsAnError() {
        DataSet tagged = new EpochMinibatches(IMAGES, 20, 1).epoch(1, EpsilonSchedule.of(0.1, 0, 5), 1.0).get(0);
        DataSet untagged = new DataSet(tagged.getFeatures(), tagged.getLabels());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new AdversarialHook(config().toYaml()).preUpdate(untagged, fresh(config()).model()));
        assertTrue(e.getMessage().contains("without its batch plan"), e.getMessage());
    }

    @Test
    void epochsHoldWholeBatchesInTheLocalOrderWithFreshSeeds() {
        EpochMinibatches minibatches = new EpochMinibatches(LearnableMnist.images(110, 1), 20, 42);
        assertEquals(5, minibatches.batchesPerEpoch());
        List<DataSet> first = minibatches.epoch(1, EpsilonSchedule.of(0.2, 1, 5), 0.5);
        List<DataSet> second = minibatches.epoch(2, EpsilonSchedule.of(0.2, 1, 5), 0.5);
        assertEquals(5, first.size());
        first.forEach(b -> assertEquals(20, b.numExamples()));
        assertEquals(0.04, BatchPlan.of(first.get(0).getExampleMetaData()).eps(), 1e-12);
        assertEquals(0.2, BatchPlan.of(second.get(0).getExampleMetaData()).eps(), 1e-12);
        assertEquals(9, BatchPlan.of(second.get(4).getExampleMetaData()).index());
        assertEquals(0.5, BatchPlan.of(second.get(4).getExampleMetaData()).stepScale());
        assertNotEquals(first.get(0).getFeatures(), second.get(0).getFeatures(), "the epochs are not reshuffled");
        assertEquals(first.get(0).getFeatures(), minibatches.epoch(1, EpsilonSchedule.of(0.2, 1, 5), 0.5).get(0)
                .getFeatures());
    }
}
