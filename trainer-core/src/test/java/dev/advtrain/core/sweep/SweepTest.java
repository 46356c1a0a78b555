package dev.advtrain.core.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.advtrain.core.Progress;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole sweeps of short runs: candidates become ordinary run directories, failures are recorded and
 * the sweep goes on, the table, chart and best config are written, and a resumed sweep trains only
 * what it has not finished.
 */
class SweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aGridRunsEveryCandidateRecordsFailuresAndWritesTheBestConfig(@TempDir Path tmp) throws IOException {
        // The grid's first key varies fastest: lr 0.05, 0.02, 1e6 at eps 0.1, then the same at eps 1.5.
        // lr 1e6 diverges (a run directory, no model); eps 1.5 is not a valid config (no directory).
        Path file = SweepFixture.write(tmp, String.join("\n",
                "search: {method: grid}",
                "space:",
                "  training.learning_rate: {values: [0.05, 0.02, 1.0e6]}",
                "  adversarial.eps: {values: [0.1, 1.5]}",
                "parallel: 2", ""));

        Sweep.Outcome outcome = Sweep.start(file, List.of(), Map.of()).execute(Progress.none());

        Path dir = tmp.resolve("runs/tiny");
        assertEquals(dir, outcome.directory());
        Map<Integer, CandidateResult> rows = outcome.ranked().stream()
                .collect(Collectors.toMap(CandidateResult::candidate, Function.identity()));
        assertEquals(6, rows.size());
        assertEquals(Map.of("training.learning_rate", 0.02, "adversarial.eps", 0.1), rows.get(2).values());
        for (int c : new int[] {1, 2}) {
            CandidateResult r = rows.get(c);
            assertEquals(CandidateResult.Status.FINISHED, r.status(), r.reason());
            Path run = dir.resolve(r.directory());
            assertEquals(dir.resolve("candidates/candidate-00" + c), run);
            assertTrue(Files.isRegularFile(run.resolve("model.zip")));
            assertTrue(Files.isRegularFile(run.resolve("report.json")));
            RunConfig config = ConfigLoader.load(run.resolve("config.yaml"), List.of(), Map.of());
            assertEquals(r.values().get("training.learning_rate"), config.training().learningRate());
            assertEquals(3, config.seed(), "the base config's seed");
            assertEquals(validationRobust(run), r.score(), 1e-12, "the objective is the validation robust accuracy");
            assertEquals(r.score(), r.valRobustAcc());
        }
        CandidateResult diverged = rows.get(3);
        assertEquals(CandidateResult.Status.FAILED, diverged.status());
        assertTrue(diverged.reason().startsWith("training diverged: the loss of epoch 1"), diverged.reason());
        assertFalse(Files.exists(dir.resolve(diverged.directory()).resolve("model.zip")));
        for (int c : new int[] {4, 5, 6}) {
            CandidateResult invalid = rows.get(c);
            assertEquals(CandidateResult.Status.FAILED, invalid.status());
            assertEquals("invalid config: adversarial.eps=1.5: adversarial.eps must be in [0, 1] for inputs in [0, 1], got 1.5",
                    invalid.reason());
            assertNull(invalid.directory());
            assertFalse(Files.exists(dir.resolve(CandidateTrainer.directory(c))));
        }

        // Best first: the two finished candidates by score, then the failures by number.
        List<Integer> order = outcome.ranked().stream().map(CandidateResult::candidate).toList();
        CandidateResult best = rows.get(1).score() >= rows.get(2).score() ? rows.get(1) : rows.get(2);
        assertEquals(best.candidate(), order.get(0));
        assertEquals(List.of(3, 4, 5, 6), order.subList(2, 6));
        assertEquals(best, outcome.best().orElseThrow());

        List<String> csv = Files.readAllLines(outcome.table());
        assertEquals(7, csv.size());
        assertTrue(csv.get(0).startsWith("rank,candidate,status,score,feasible,pareto,val_clean_acc,val_robust_acc,"));
        assertTrue(csv.get(0).contains(",training.learning_rate,adversarial.eps,directory,reason"), csv.get(0));
        assertTrue(csv.get(1).startsWith("1," + best.candidate() + ",finished,"), csv.get(1));
        assertTrue(csv.get(3).startsWith("3,3,failed,"), csv.get(3));
        SweepResults.Table table = JSON.readValue(dir.resolve("results.json").toFile(), SweepResults.Table.class);
        assertEquals(best.candidate(), table.best());
        assertEquals(outcome.ranked(), table.candidates());

        BufferedImage chart = ImageIO.read(outcome.chart().toFile());
        assertNotNull(chart, "pareto.png is a PNG");
        assertEquals(720, chart.getWidth());

        // best-config.yaml is the best candidate's config, named for the sweep, running where the base runs.
        RunConfig chosen = ConfigLoader.load(outcome.bestConfig(), List.of(), Map.of());
        assertEquals("tiny-best", chosen.name());
        assertEquals(tmp.resolve("train-runs").toString(), chosen.output().runsDir());
        assertEquals(ConfigLoader.load(dir.resolve(best.directory()).resolve("config.yaml"),
                List.of("name=tiny-best", "output.runs_dir=" + tmp.resolve("train-runs")), Map.of()), chosen);
    }

    @Test
    void aResumedSweepTrainsOnlyWhatItHasNotFinished(@TempDir Path tmp) throws IOException {
        Path file = SweepFixture.write(tmp, String.join("\n",
                "set: {training.epochs: 2}",
                "search: {method: random, seed: 7}",
                "space:",
                "  training.learning_rate: {min: 0.01, max: 0.1, scale: log}",
                "  model.width: {values: [0.5, 1.0]}",
                "budget: {candidates: 2}", ""));
        Sweep.Outcome first = Sweep.start(file, List.of(), Map.of()).execute(Progress.none());
        Path dir = first.directory();
        assertEquals(2, first.ranked().size());
        Path one = dir.resolve(CandidateTrainer.directory(1));
        Path two = dir.resolve(CandidateTrainer.directory(2));
        FileTime oneWritten = Files.getLastModifiedTime(one.resolve("model.zip"));
        byte[] oneModel = Files.readAllBytes(one.resolve("model.zip"));
        float[] twoParams = params(two.resolve("model.zip"));
        FileTime twoEpoch1 = Files.getLastModifiedTime(two.resolve("checkpoints/epoch-001.zip"));
        CandidateResult oneRow = row(first, 1);
        CandidateResult twoRow = row(first, 2);

        // As if the sweep had been killed in candidate 2's second epoch: no row, no epoch 2, no model.
        ObjectNode table = (ObjectNode) JSON.readTree(dir.resolve("results.json").toFile());
        ArrayNode candidates = (ArrayNode) table.get("candidates");
        for (int i = candidates.size() - 1; i >= 0; i--) {
            if (candidates.get(i).get("candidate").asInt() == 2) {
                candidates.remove(i);
            }
        }
        Files.writeString(dir.resolve("results.json"), JSON.writeValueAsString(table));
        for (String f : new String[] {"model.zip", "report.json", "checkpoints/epoch-002.zip", "checkpoints/epoch-002.json"}) {
            Files.delete(two.resolve(f));
        }

        Sweep.Outcome resumed = Sweep.resume(dir, List.of("budget.candidates=3")).execute(Progress.none());

        assertEquals(3, resumed.ranked().size());
        assertEquals(oneRow, row(resumed, 1), "a finished candidate keeps its row");
        assertEquals(oneWritten, Files.getLastModifiedTime(one.resolve("model.zip")), "and is not trained again");
        assertArrayEquals(oneModel, Files.readAllBytes(one.resolve("model.zip")));
        CandidateResult again = row(resumed, 2);
        assertEquals(twoRow.values(), again.values(), "the same seed draws the same candidate");
        assertEquals(CandidateResult.Status.FINISHED, again.status());
        assertEquals(2, again.epochs());
        assertEquals(twoEpoch1, Files.getLastModifiedTime(two.resolve("checkpoints/epoch-001.zip")),
                "the stopped candidate resumes after its last checkpoint");
        assertArrayEquals(twoParams, params(two.resolve("model.zip")), "and ends where the uninterrupted run did");
        assertEquals(twoRow.valRobustAcc(), again.valRobustAcc());
        assertEquals(CandidateResult.Status.FINISHED, row(resumed, 3).status());
        assertEquals(3, SweepConfig.load(dir.resolve("sweep.yaml"), List.of()).budget().candidates(),
                "the raised budget is saved for the next resume");
    }

    @Test
    void aTimeBudgetStopsARandomSearchWithoutACandidateBudget(@TempDir Path tmp) throws IOException {
        // Arbiter checks its termination conditions after its first one-second poll for results, so a
        // budget shorter than that starts no candidate at all.
        Path file = SweepFixture.write(tmp, String.join("\n",
                "space:",
                "  training.learning_rate: {min: 0.01, max: 0.1}",
                "budget: {minutes: 0.001}", ""));
        Sweep.Outcome outcome = Sweep.start(file, List.of(), Map.of()).execute(Progress.none());
        assertTrue(outcome.ranked().isEmpty());
        assertTrue(outcome.best().isEmpty());
    }

    private static CandidateResult row(Sweep.Outcome outcome, int candidate) {
        return outcome.ranked().stream().filter(r -> r.candidate() == candidate).findFirst().orElseThrow();
    }

    private static float[] params(Path model) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false).params().toFloatVector();
    }

    /** The best val_robust_acc in a run's metrics.csv. */
    private static double validationRobust(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        int column = Arrays.asList(lines.get(0).split(",")).indexOf("val_robust_acc");
        return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[column])).max().orElseThrow();
    }
}
