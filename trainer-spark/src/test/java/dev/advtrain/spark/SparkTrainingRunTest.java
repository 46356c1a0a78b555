package dev.advtrain.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.Progress;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.run.RunDirectory;
import dev.advtrain.core.run.TrainingRun;
import dev.advtrain.core.testing.LearnableMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole runs on Spark local[2] (loopback only) through the same {@link TrainingRun} as a local run:
 * fast AT on two workers buys robustness that clean training on Spark does not, for a
 * MultiLayerNetwork and a ComputationGraph, the driver writes
 * the run directory of a local run, and a run cut short resumes on Spark from its saved config.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTrainingRunTest {

    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainingRunTest.class);
    private static final int EPOCHS = 3;

    /** Static: JUnit injects a static temporary directory before {@code @BeforeAll}, an instance one only after. */
    @TempDir
    static Path runs;

    private TrainingRun.Result adversarial;
    private TrainingRun.Result clean;
    private TrainingRun.Result graph;

    /** fast AT on local[2], epsilon 0.15, judged by PGD-10 at 0.15 on 200 test images. */
    static RunConfig config(Path runs, String name, String... extra) {
        List<String> sets = new ArrayList<>(List.of("name=" + name, "output.runs_dir=" + runs,
                "data.dir=" + LearnableMnist.sharedFiles(), "data.train_limit=600", "data.validation_size=100",
                "data.test_limit=200", "model.arch=mlp", "training.epochs=" + EPOCHS, "training.batch_size=25",
                "training.learning_rate=0.003", "adversarial.recipe=fast-at", "adversarial.eps=0.15",
                "adversarial.eps_warmup_epochs=0.5", "validation.eps=0.15", "validation.steps=3",
                "evaluation.clean_limit=200",
                "evaluation.attacks=[{attack: pgd, eps: 0.15, steps: 10, rel_step_size: 0.25, limit: 200}]",
                "distributed.master=local[2]", "distributed.averaging_frequency=2"));
        sets.addAll(List.of(extra));
        return ConfigLoader.load(null, sets, Map.of()).validate();
    }

    @BeforeAll
    void trainOnSpark() {
        assertTrue(runs != null && Files.isDirectory(runs), "no temporary runs directory");
        adversarial = TrainingRun.start(config(runs, "fast-at")).execute(Progress.none());
        clean = TrainingRun.start(config(runs, "clean", "adversarial.mixing.policy=clean-only")).execute(Progress.none());
        graph = TrainingRun.start(config(runs, "graph", "model.graph=true")).execute(Progress.none());
    }

    private static double robust(TrainingRun.Result result) {
        return result.report().results().get(0).robustAccuracy();
    }

    @Test
    void adversarialTrainingOnTwoWorkersBuysRobustnessCleanTrainingDoesNot() {
        LOG.info("local[2], PGD-10 at eps 0.15: fast-at robust {} (clean {}), graph {} (clean {}), clean-only robust {}"
                + " (clean {})", robust(adversarial), adversarial.report().cleanAccuracy(), robust(graph),
                graph.report().cleanAccuracy(), robust(clean), clean.report().cleanAccuracy());
        assertTrue(clean.report().cleanAccuracy() > 0.9, "clean run's clean accuracy " + clean.report().cleanAccuracy());
        assertTrue(adversarial.report().cleanAccuracy() > 0.9, "fast-at clean accuracy " + adversarial.report().cleanAccuracy());
        assertTrue(robust(adversarial) > robust(clean) + 0.3, String.format(
                "PGD robust accuracy: fast-at on local[2] %.3f, clean on local[2] %.3f", robust(adversarial), robust(clean)));
    }

    @Test
    void aComputationGraphTrainsOnSparkThroughTheMultiDataSetHook() {
        assertTrue(graph.report().cleanAccuracy() > 0.9, "graph clean accuracy " + graph.report().cleanAccuracy());
        assertTrue(robust(graph) > robust(clean) + 0.3, String.format(
                "PGD robust accuracy: fast-at graph on local[2] %.3f, clean MLP on local[2] %.3f", robust(graph),
                robust(clean)));
        assertEquals(5.0, graph.history().get(EPOCHS - 1).get("rounds"));
    }

    @Test
    void theDriverWritesTheRunDirectoryOfALocalRun() throws IOException {
        RunDirectory dir = adversarial.directory();
        for (Path file : List.of(dir.config(), dir.metrics(), dir.model(), dir.bestModel(), dir.report(), dir.curves())) {
            assertTrue(Files.isRegularFile(file), file + " is missing");
        }
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            assertTrue(Files.isRegularFile(dir.checkpoints().resolve(String.format("epoch-%03d.zip", epoch))));
            assertTrue(Files.isRegularFile(dir.checkpoints().resolve(String.format("epoch-%03d.json", epoch))));
        }
        assertEquals("local[2]", ConfigLoader.load(dir.config(), List.of(), Map.of()).distributed().master());
        assertEquals(EPOCHS + 1, Files.readAllLines(dir.metrics()).size());
        Map<String, Double> last = adversarial.history().get(EPOCHS - 1);
        assertEquals(2.0, last.get("workers"));
        // 500 images in batches of 25 on 2 workers averaging every 2: 5 rounds of 2 updates per epoch
        assertEquals(5.0, last.get("rounds"));
        assertEquals(EPOCHS * 10.0, last.get("iterations"));
        assertTrue(last.get("val_robust_acc") > 0.5, "validation robust accuracy " + last.get("val_robust_acc"));
    }

    @Test
    void aRunStoppedAfterAnEpochResumesOnSpark() throws IOException {
        Path copy = runs.resolve("resumed");
        copyTree(adversarial.directory().root(), copy);
        RunDirectory dir = RunDirectory.open(copy);
        for (String gone : List.of("epoch-003.zip", "epoch-003.json", "epoch-002.zip", "epoch-002.json")) {
            Files.delete(dir.checkpoints().resolve(gone));
        }
        Files.delete(dir.model());
        Files.delete(dir.report());

        TrainingRun.Result resumed = TrainingRun.resume(copy).execute(Progress.none());
        assertEquals(EPOCHS, resumed.history().size());
        assertEquals(adversarial.history().get(0), resumed.history().get(0), "epoch 1 was not kept from the checkpoint");
        assertEquals(5.0, resumed.history().get(EPOCHS - 1).get("rounds"), "the resumed epochs did not train on Spark");
        assertEquals(EPOCHS * 10.0, resumed.history().get(EPOCHS - 1).get("iterations"));
        assertTrue(Files.isRegularFile(dir.model()) && Files.isRegularFile(dir.report()));
        assertTrue(Files.isRegularFile(dir.checkpoints().resolve("epoch-003.json")));
        assertTrue(robust(resumed) > robust(clean) + 0.3, "resumed run's PGD robust accuracy " + robust(resumed));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
