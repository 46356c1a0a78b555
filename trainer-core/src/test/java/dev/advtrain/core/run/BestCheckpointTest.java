package dev.advtrain.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.Progress;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.train.AdversarialTrainer;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.recipe.RecipeHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against robust overfitting: {@code model-best.zip} holds the weights of the epoch with the best
 * validation robust accuracy, {@code best_epoch} is recorded, early stopping ends a run after its
 * patience, and a resumed run still has to beat the best of its history. The listener is driven by
 * hand with scripted accuracies; whole runs check the wiring.
 */
class BestCheckpointTest {

    /**
     * Clean training judged by an attack it cannot withstand: validation robust accuracy is the same
     * (0) every epoch, so the first epoch stays the best (ties keep the earlier epoch).
     */
    private static final String[] FLAT = {"adversarial.mixing.policy=clean-only", "validation.eps=0.5",
        "validation.rel_step_size=0.5"};

    private final AdversarialTrainer trainer = RecipeHarness.trainer(RecipeHarness.config());
    private final MultiLayerNetwork network = (MultiLayerNetwork) trainer.model().model();
    private final Map<Integer, String> paramsAt = new HashMap<>();

    // --- the listener, with scripted accuracies

    @Test
    void keepsTheBestEpochsWeightsIgnoresRolledBackEpochsAndStopsAfterThePatience(@TempDir Path runs)
            throws IOException {
        RunDirectory run = RunDirectory.create(runs, "scripted");
        BestCheckpoint best = new BestCheckpoint(run, trainer, List.of(), 3, List.of());
        assertEquals(1, epoch(best, 1, 0.3).get("best_epoch"));
        assertEquals(2, epoch(best, 2, 0.6).get("best_epoch"));
        assertEquals(2, epoch(best, 3, 0.5).get("best_epoch"));
        assertEquals(2, epoch(best, 4, 0.6).get("best_epoch"), "a tie keeps the earlier epoch");
        assertNull(trainer.stopReason(), "stopped before 3 epochs without a better one");
        EpochRecord rolledBack = new EpochRecord(5).put("val_robust_acc", 0.9).put("rolled_back", 1);
        network.params().addi(0.01);
        best.onEpochEnd(trainer.model(), rolledBack);
        assertEquals(2, rolledBack.get("best_epoch"), "a rolled-back epoch's accuracy is not the model's");

        assertEquals(paramsAt.get(2), RunFixture.params(run.bestModel()));
        assertEquals(2, best.bestEpoch());
        assertEquals(0.6, best.best());
        assertTrue(trainer.stopReason().startsWith("early stopping: validation robust accuracy has not beaten 0.6000"
                + " (epoch 2) for 3 epochs"), trainer.stopReason());
    }

    @Test
    void afterAResumeTheHistorysBestIsTheOneToBeatAndNoPatienceNeverStops(@TempDir Path runs) throws IOException {
        RunDirectory run = RunDirectory.create(runs, "resumed");
        List<Map<String, Double>> history = List.of(Map.of("epoch", 1.0, "val_robust_acc", 0.7),
                Map.of("epoch", 2.0, "val_robust_acc", 0.4));
        BestCheckpoint best = new BestCheckpoint(run, trainer, history, 0, List.of());
        assertEquals(1, epoch(best, 3, 0.6).get("best_epoch"));
        assertFalse(Files.exists(run.bestModel()), "an epoch worse than the history's best was saved");
        assertEquals(4, epoch(best, 4, 0.8).get("best_epoch"));
        for (int epoch = 5; epoch <= 12; epoch++) {
            epoch(best, epoch, 0.1);
        }
        assertEquals(paramsAt.get(4), RunFixture.params(run.bestModel()));
        assertNull(trainer.stopReason());
    }

    @Test
    void withoutValidationThereIsNoBestModel(@TempDir Path runs) {
        RunDirectory run = RunDirectory.create(runs, "unvalidated");
        BestCheckpoint best = new BestCheckpoint(run, trainer, List.of(), 1, List.of());
        for (int epoch = 1; epoch <= 3; epoch++) {
            EpochRecord record = new EpochRecord(epoch);
            best.onEpochEnd(trainer.model(), record);
            assertTrue(Double.isNaN(record.get("best_epoch")));
        }
        assertFalse(Files.exists(run.bestModel()));
        assertEquals(0, best.bestEpoch());
        assertTrue(Double.isNaN(best.best()));
        assertNull(trainer.stopReason());
    }

    /** New weights, then the epoch's record with {@code valRobustAcc} handed to {@code best}. */
    private EpochRecord epoch(BestCheckpoint best, int epoch, double valRobustAcc) {
        network.params().addi(0.01);
        paramsAt.put(epoch, RunFixture.params(network));
        EpochRecord record = new EpochRecord(epoch).put("val_robust_acc", valRobustAcc);
        best.onEpochEnd(trainer.model(), record);
        return record;
    }

    // --- whole runs

    @Test
    void theBestModelIsTheCheckpointOfTheEpochWithTheBestValidationRobustAccuracy(@TempDir Path runs)
            throws IOException {
        TrainingRun.Result result = TrainingRun.start(config(runs, "best", "training.epochs=3"))
                .execute(Progress.none());
        List<Map<String, Double>> history = result.history();
        int bestEpoch = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (Map<String, Double> row : history) {
            if (row.get("val_robust_acc") > best && row.getOrDefault("rolled_back", 0.0) != 1.0) {
                best = row.get("val_robust_acc");
                bestEpoch = row.get("epoch").intValue();
            }
            assertEquals(bestEpoch, row.get("best_epoch"), "best_epoch of epoch " + row.get("epoch"));
        }
        assertEquals(bestEpoch, result.bestEpoch());
        RunDirectory dir = result.directory();
        assertEquals(RunFixture.params(checkpoint(dir, bestEpoch)), RunFixture.params(dir.bestModel()));
        assertTrue(Files.readAllLines(dir.metrics()).get(0).contains("best_epoch"));
    }

    @Test
    void earlyStoppingEndsTheRunAfterThePatience(@TempDir Path runs) throws IOException {
        TrainingRun.Result result = TrainingRun.start(config(runs, "patient", flat("training.epochs=6",
                "guards.early_stopping=2"))).execute(Progress.none());
        assertFlat(result.history());
        assertEquals(3, result.history().size(), "epochs trained");
        assertTrue(result.stopReason().startsWith("early stopping"), result.stopReason());
        assertEquals(1, result.bestEpoch());
        RunDirectory dir = result.directory();
        assertEquals(RunFixture.params(checkpoint(dir, 1)), RunFixture.params(dir.bestModel()));
        assertTrue(Files.isRegularFile(dir.model()), "a stopped run still writes its model");
        assertFalse(Files.exists(checkpoint(dir, 4)));
        assertEquals(4, Files.readAllLines(dir.metrics()).size(), "header and 3 epochs");
    }

    @Test
    void aResumedRunKeepsTheBestOfItsHistory(@TempDir Path runs) throws IOException {
        RunDirectory dir = TrainingRun.start(config(runs, "resumed", flat())).execute(Progress.none()).directory();
        String bestParams = RunFixture.params(dir.bestModel());
        assertEquals(RunFixture.params(checkpoint(dir, 1)), bestParams);
        // Killed during epoch 2: only the epoch-1 checkpoint and model-best.zip survive.
        Files.delete(dir.checkpoints().resolve("epoch-002.zip"));
        Files.delete(dir.checkpoints().resolve("epoch-002.json"));
        Files.delete(dir.model());
        Files.delete(dir.report());

        TrainingRun.Result resumed = TrainingRun.resume(dir.root()).execute(Progress.none());
        assertFlat(resumed.history());
        assertEquals(2, resumed.history().size());
        assertEquals(1, resumed.bestEpoch(), "the resumed epoch tied the history's best, which stays");
        for (Map<String, Double> row : resumed.history()) {
            assertEquals(1, row.get("best_epoch"), "best_epoch of epoch " + row.get("epoch"));
        }
        assertEquals(bestParams, RunFixture.params(dir.bestModel()));
    }

    private static void assertFlat(List<Map<String, Double>> history) {
        for (Map<String, Double> row : history) {
            assertEquals(history.get(0).get("val_robust_acc"), row.get("val_robust_acc"),
                    "the scenario needs the same validation robust accuracy every epoch");
        }
    }

    private static Path checkpoint(RunDirectory dir, int epoch) {
        return dir.checkpoints().resolve(String.format("epoch-%03d.zip", epoch));
    }

    private static RunConfig config(Path runs, String name, String... extra) {
        return RunFixture.small(runs, name, extra);
    }

    /** {@link #FLAT}, then {@code extra}. */
    private static String[] flat(String... extra) {
        return RunFixture.concat(FLAT, extra);
    }
}
