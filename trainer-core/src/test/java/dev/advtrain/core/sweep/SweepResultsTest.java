package dev.advtrain.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.advtrain.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results table: the objective, its ranking with min_clean, the Pareto front, and the files. */
class SweepResultsTest {

    private static CandidateResult row(int candidate, double clean, double robust, SweepConfig.Objective objective) {
        return new CandidateResult(candidate, CandidateResult.Status.FINISHED, Map.of("adversarial.eps", 0.1 * candidate),
                objective.score(clean, robust), objective.feasible(clean), clean, robust, null, null, 1, 1, 1.0,
                CandidateTrainer.directory(candidate), null);
    }

    private static CandidateResult failed(int candidate) {
        return CandidateResult.failed(candidate, Map.of("adversarial.eps", 0.1 * candidate), null, "invalid config: x", 0.1);
    }

    private static List<Integer> order(List<CandidateResult> rows) {
        return rows.stream().sorted(CandidateResult.RANKING).map(CandidateResult::candidate).toList();
    }

    @Test
    void theObjectiveScoresValidationAccuracies() {
        SweepConfig.Objective robust = SweepConfig.Objective.fromYaml(null, null, null);
        SweepConfig.Objective weighted = SweepConfig.Objective.fromYaml(SweepConfig.Metric.WEIGHTED, 0.25, null);
        assertEquals(0.6, robust.score(0.9, 0.6));
        assertEquals(0.25 * 0.9 + 0.75 * 0.6, weighted.score(0.9, 0.6), 1e-15);
        assertEquals("0.25 x clean + 0.75 x robust validation accuracy", weighted.describe());
        assertEquals("robust validation accuracy, with clean validation accuracy >= 0.97",
                SweepConfig.Objective.fromYaml(null, null, 0.97).describe());
    }

    @Test
    void valuesReadShortForPeople() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("training.learning_rate", 0.0014508869133420276);
        values.put("adversarial.eps", 0.3);
        values.put("adversarial.steps", 7);
        values.put("adversarial.recipe", "trades");
        values.put("training.lr_milestones", List.of(2, 4));
        assertEquals("training.learning_rate=0.001451, adversarial.eps=0.3, adversarial.steps=7,"
                + " adversarial.recipe=\"trades\", training.lr_milestones=[2,4]", CandidateResult.describe(values));
    }

    @Test
    void candidatesBelowMinCleanRankAfterEveryOneThatMeetsIt() {
        SweepConfig.Objective objective = SweepConfig.Objective.fromYaml(null, null, 0.95);
        List<CandidateResult> rows = List.of(row(1, 0.99, 0.50, objective), row(2, 0.90, 0.80, objective),
                failed(3), row(4, 0.96, 0.60, objective), row(5, 0.94, 0.70, objective));
        // 4 and 1 meet min_clean (by score), then 2 and 5 (by score), then the failure.
        assertEquals(List.of(4, 1, 2, 5, 3), order(rows));
        ObjectiveScore score = new ObjectiveScore();
        assertEquals(0.60, score.score(rows.get(3), (DataProvider) null, null));
        assertEquals(0.80 - 1, score.score(rows.get(1), (DataProvider) null,
                null), 1e-15, "Arbiter's best tracks the same order");
        assertFalse(score.minimize());

        SweepConfig.Objective none = SweepConfig.Objective.fromYaml(null, null, null);
        assertEquals(List.of(2, 5, 4, 1, 3), order(List.of(row(1, 0.99, 0.50, none), row(2, 0.90, 0.80, none), failed(3),
                row(4, 0.96, 0.60, none), row(5, 0.94, 0.70, none))));
    }

    @Test
    void theParetoFrontHoldsTheCandidatesNoneBeatsOnBoth() {
        SweepConfig.Objective o = SweepConfig.Objective.fromYaml(null, null, null);
        List<CandidateResult> rows = List.of(row(1, 0.99, 0.50, o), row(2, 0.90, 0.80, o), row(3, 0.95, 0.60, o),
                row(4, 0.94, 0.55, o), row(5, 0.90, 0.70, o), row(6, 0.99, 0.50, o), failed(7));
        // 4 loses to 3 on both; 5 to 2 on robust at the same clean; 1 and 6 tie, and neither beats the other.
        assertEquals(List.of(1, 2, 3, 6), SweepResults.paretoFront(rows).stream().map(CandidateResult::candidate).sorted()
                .toList());
    }

    @Test
    void theTableFilesAreRewrittenAsCandidatesEnd(@TempDir Path dir) throws IOException {
        SweepConfig sweep = SweepConfig.fromYaml("t", "runs", "base.yaml", Map.of(), null,
                Map.of("adversarial.eps", SweepConfig.Range.fromYaml(null, 0.1, 0.5, null, null)),
                SweepConfig.Objective.fromYaml(null, null, null), SweepConfig.Budget.fromYaml(3, null), 1);
        SweepResults results = SweepResults.open(dir, sweep, "runs");
        results.record(failed(2));
        assertEquals(2, Files.readAllLines(dir.resolve("results.csv")).size());
        assertTrue(Files.notExists(dir.resolve("best-config.yaml")), "no finished candidate yet");
        assertTrue(Files.notExists(dir.resolve("pareto.png")));

        Path run = Files.createDirectories(dir.resolve(CandidateTrainer.directory(1)));
        Files.writeString(run.resolve("config.yaml"), ConfigLoader.load(null, List.of("name=candidate-001",
                "adversarial.eps=0.1"), Map.of()).toYaml());
        results.record(row(1, 0.98, 0.7, sweep.objective()));
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals("1,1,finished,0.7000,true,true,0.9800,0.7000,,,1,1,1.0,0.1,candidates/candidate-001,", csv.get(1));
        assertEquals("2,2,failed,,false,false,,,,,0,0,0.1,0.2,,invalid config: x", csv.get(2));
        assertTrue(Files.size(dir.resolve("pareto.png")) > 0);
        assertEquals("t-best", ConfigLoader.load(dir.resolve("best-config.yaml"), List.of(), Map.of()).name());

        SweepResults reopened = SweepResults.open(dir, sweep, "runs");
        assertEquals(results.ranked(), reopened.ranked(), "a resumed sweep reads the table back");
    }

    @Test
    void cellsWithCommasOrQuotesAreQuoted(@TempDir Path dir) throws IOException {
        SweepConfig sweep = SweepConfig.fromYaml("t", "runs", null, Map.of(), null,
                Map.of("training.lr_milestones", SweepConfig.Range.fromYaml(null, null, null, null,
                        List.of(JsonNodeFactory.instance.arrayNode().add(2).add(4), JsonNodeFactory.instance.arrayNode().add(3)))),
                null, SweepConfig.Budget.fromYaml(3, null), 1);
        SweepResults results = SweepResults.open(dir, sweep, "runs");
        results.record(CandidateResult.failed(1, Map.of("training.lr_milestones", List.of(2, 4)), null,
                "invalid config: a \"quoted\", listed reason", 0));
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertTrue(csv.get(0).endsWith(",training.lr_milestones,directory,reason"), csv.get(0));
        assertTrue(csv.get(1).endsWith(",\"[2,4]\",,\"invalid config: a \"\"quoted\"\", listed reason\""), csv.get(1));
    }
}
