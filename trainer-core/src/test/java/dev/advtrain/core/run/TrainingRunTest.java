package dev.advtrain.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.Progress;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.eval.RobustnessReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Whole training runs on a small learnable MNIST-shaped task: outputs, reproducibility, resume
 * after a kill, and that nothing existing is overwritten.
 */
class TrainingRunTest {

    /** A run of 2 short epochs on 600 images, small evaluation. */
    static RunConfig config(Path runs, String name, String... extra) {
        return RunFixture.config(runs, name, extra);
    }

    @Test
    void writesEveryOutputAndLearnsTheTask(@TempDir Path runs) throws IOException {
        TrainingRun.Result result = TrainingRun.start(config(runs, "full")).execute(Progress.none());
        RunDirectory dir = result.directory();

        assertEquals(runs.resolve("full"), dir.root());
        for (Path p : List.of(dir.config(), dir.metrics(), dir.model(), dir.report(), dir.curves(),
                dir.checkpoints().resolve("epoch-001.zip"), dir.checkpoints().resolve("epoch-001.json"),
                dir.checkpoints().resolve("epoch-002.zip"), dir.checkpoints().resolve("epoch-002.json"))) {
            assertTrue(Files.isRegularFile(p), "missing " + p);
        }
        List<String> csv = Files.readAllLines(dir.metrics());
        assertEquals(3, csv.size(), "header and one row per epoch");
        assertTrue(csv.get(0).startsWith("epoch,iterations,eps,learning_rate,train_loss,clean_loss,clean_acc,adv_loss,adv_acc"),
                csv.get(0));
        assertTrue(csv.get(0).contains("val_clean_acc,val_robust_acc"), csv.get(0));
        assertEquals(ConfigLoader.load(dir.config(), List.of(), Map.of()), config(runs, "full"), "resolved config saved");

        RobustnessReport report = RobustnessReport.read(dir.report());
        assertEquals(300, report.n());
        assertEquals("mnist", report.dataset());
        assertTrue(report.cleanAccuracy() > 0.95, "clean accuracy " + report.cleanAccuracy());
        assertEquals(List.of("pgd", "fgsm"), report.results().stream().map(RobustnessReport.AttackOutcome::attack).toList());
        RobustnessReport.AttackOutcome pgd = report.results().get(0);
        assertEquals(100, pgd.n());
        assertEquals(5, pgd.steps());
        assertEquals(0.03, pgd.stepSize(), 1e-12);
        assertTrue(pgd.robustAccuracy() <= report.results().get(1).robustAccuracy() + 0.05, "PGD much weaker than FGSM");
        assertTrue(pgd.meanPerturbation() <= 0.1 + 1e-6);
    }

    @Test
    void sameSeedGivesSameNumbersAndResumeContinuesExactly(@TempDir Path runs) throws IOException {
        RunDirectory first = TrainingRun.start(config(runs, "a")).execute(Progress.none()).directory();
        RunDirectory second = TrainingRun.start(config(runs, "b")).execute(Progress.none()).directory();
        assertEquals(params(first.model()), params(second.model()), "same config and seed, different weights");
        assertEquals(withoutTimings(first.metrics()), withoutTimings(second.metrics()));

        // Simulate a run killed during epoch 2: only the epoch-1 checkpoint survives.
        Files.delete(second.checkpoints().resolve("epoch-002.json"));
        Files.delete(second.checkpoints().resolve("epoch-002.zip"));
        Files.delete(second.model());
        Files.delete(second.report());
        TrainingRun.Result resumed = TrainingRun.resume(second.root()).execute(Progress.none());

        assertEquals(params(first.model()), params(resumed.directory().model()), "resumed run diverged");
        assertEquals(withoutTimings(first.metrics()), withoutTimings(second.metrics()));
        assertEquals(RobustnessReport.read(first.report()).results().get(0).robustAccuracy(),
                RobustnessReport.read(second.report()).results().get(0).robustAccuracy());
    }

    @Test
    void differentSeedGivesDifferentWeights(@TempDir Path runs) throws IOException {
        RunDirectory a = TrainingRun.start(config(runs, "s1", "training.epochs=1")).execute(Progress.none()).directory();
        RunDirectory b = TrainingRun.start(config(runs, "s2", "training.epochs=1", "seed=7")).execute(Progress.none()).directory();
        assertNotEquals(params(a.model()), params(b.model()));
    }

    @Test
    void neverReusesAnExistingRunDirectory(@TempDir Path runs) throws IOException {
        Path existing = Files.createDirectories(runs.resolve("taken"));
        Files.writeString(existing.resolve("notes.txt"), "mine");
        RunDirectory run = TrainingRun.start(config(runs, "taken")).directory();
        assertEquals(runs.resolve("taken-2"), run.root());
        assertEquals("mine", Files.readString(existing.resolve("notes.txt")));
        try (Stream<Path> files = Files.list(existing)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void adversarialTrainingBuysRobustnessThatCleanTrainingLacks(@TempDir Path runs) throws IOException {
        String attack = "evaluation.attacks=[{attack: pgd, eps: 0.15, steps: 10, step_size: 0.03, limit: 200}]";
        RobustnessReport clean = TrainingRun.start(config(runs, "clean", "adversarial.mixing.policy=clean-only",
                "training.epochs=3", attack)).execute(Progress.none()).report();
        RobustnessReport robust = TrainingRun.start(config(runs, "robust", "adversarial.eps=0.15",
                "adversarial.mixing.fraction=0.7", "training.epochs=3", attack)).execute(Progress.none()).report();
        double cleanRobust = clean.results().get(0).robustAccuracy();
        double advRobust = robust.results().get(0).robustAccuracy();
        assertTrue(advRobust > cleanRobust + 0.2, String.format("PGD robust accuracy: clean-trained %.3f, adversarially trained %.3f",
                cleanRobust, advRobust));
    }

    @Test
    void withWeightAveragingTheAverageIsValidatedSavedAndResumedExactly(@TempDir Path runs) throws IOException {
        String[] ema = {"training.ema_decay=0.9"};
        TrainingRun.Result whole = TrainingRun.start(RunFixture.small(runs, "ema-a", ema)).execute(Progress.none());
        RunDirectory a = whole.directory();
        Path checkpoints = a.checkpoints();

        // model.zip is the average saved with the last checkpoint, not the trained weights beside it.
        String average2 = averageParams(checkpoints.resolve("epoch-002.average.bin"));
        assertTrue(average2.equals(params(a.model())), "model.zip is not the average");
        assertFalse(params(checkpoints.resolve("epoch-002.zip")).equals(params(a.model())), "model.zip is the trained weights");
        // model-best.zip is the average of the epoch validation judged best.
        int best = whole.bestEpoch();
        assertTrue(best > 0);
        assertTrue(averageParams(checkpoints.resolve(String.format("epoch-%03d.average.bin", best)))
                .equals(params(a.bestModel())), "model-best.zip is not the average of epoch " + best);
        assertTrue(Files.readString(checkpoints.resolve("epoch-002.json")).contains("\"average_updates\" : 16"),
                "two epochs of 8 batches averaged");

        // Killed during epoch 2, resumed: the same average, so the same model.
        RunDirectory b = TrainingRun.start(RunFixture.small(runs, "ema-b", ema)).execute(Progress.none()).directory();
        for (String gone : List.of("epoch-002.json", "epoch-002.zip", "epoch-002.average.bin")) {
            Files.delete(b.checkpoints().resolve(gone));
        }
        Files.delete(b.model());
        TrainingRun.resume(b.root()).execute(Progress.none());
        assertTrue(params(a.model()).equals(params(b.model())), "the resumed average diverged");
        assertEquals(withoutTimings(a.metrics()), withoutTimings(b.metrics()));
    }

    @Test
    void resumingWithAveragingFromACheckpointWithoutAnAverageIsRefused(@TempDir Path runs) throws IOException {
        RunDirectory run = TrainingRun.start(RunFixture.small(runs, "plain")).execute(Progress.none()).directory();
        assertFalse(Files.exists(run.checkpoints().resolve("epoch-001.average.bin")));
        Files.delete(run.checkpoints().resolve("epoch-002.json"));
        String yaml = Files.readString(run.config());
        Files.writeString(run.config(), yaml.replace("ema_decay: 0.0", "ema_decay: 0.99"));
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> TrainingRun.resume(run.root()).execute(Progress.none()));
        assertTrue(e.getMessage().contains("checkpoint epoch 1") && e.getMessage().contains("has no weight average"),
                e.getMessage());
    }

    private static String averageParams(Path file) throws IOException {
        return java.util.Arrays.toString(Nd4j.readBinary(file.toFile()).toFloatVector());
    }

    private static String params(Path model) throws IOException {
        return RunFixture.params(model);
    }

    /** The metrics file without its wall-clock columns. */
    private static String withoutTimings(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> header = List.of(lines.get(0).split(","));
        return lines.stream().map(line -> {
            String[] cells = line.split(",", -1);
            return java.util.stream.IntStream.range(0, cells.length).filter(i -> !header.get(i).contains("seconds"))
                    .mapToObj(i -> cells[i]).collect(Collectors.joining(","));
        }).collect(Collectors.joining("\n"));
    }
}
