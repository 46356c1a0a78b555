package dev.advtrain.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.Recipe;
import dev.advtrain.core.config.RunConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.junit.jupiter.api.Test;

/** The search space through Arbiter's generators: values in range, on the asked scale, every choice reached. */
class ConfigSpaceTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static Map<String, SweepConfig.Range> space() {
        Map<String, SweepConfig.Range> space = new LinkedHashMap<>();
        space.put("training.learning_rate", SweepConfig.Range.fromYaml(null, 1e-4, 1e-1, SweepConfig.Scale.LOG, null));
        space.put("adversarial.eps", SweepConfig.Range.fromYaml(null, 0.1, 0.3, null, null));
        space.put("adversarial.steps", SweepConfig.Range.fromYaml(SweepConfig.Type.INTEGER, 3.0, 10.0, null, null));
        space.put("adversarial.recipe", SweepConfig.Range.fromYaml(null, null, null, null,
                List.of(NODES.textNode("pgd-at"), NODES.textNode("trades"), NODES.textNode("mart"))));
        return space;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> draw(int n, long seed) {
        RandomSearchGenerator generator = new RandomSearchGenerator(new ConfigSpace(space()), null);
        generator.setRngSeed(seed);
        List<Map<String, Object>> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Candidate<?> c = generator.getCandidate();
            assertEquals(i, c.getIndex());
            values.add((Map<String, Object>) c.getValue());
        }
        return values;
    }

    @Test
    void randomDrawsStayInTheirRangesOnTheirScales() {
        List<Map<String, Object>> draws = draw(400, 5);
        int belowGeometricMiddle = 0;
        int belowLinearMiddle = 0;
        Set<Integer> steps = new TreeSet<>();
        Set<Object> recipes = new TreeSet<>();
        for (Map<String, Object> v : draws) {
            assertEquals(List.of("training.learning_rate", "adversarial.eps", "adversarial.steps", "adversarial.recipe"),
                    List.copyOf(v.keySet()), "the sweep file's order");
            double lr = (Double) v.get("training.learning_rate");
            double eps = (Double) v.get("adversarial.eps");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr " + lr);
            assertTrue(eps >= 0.1 && eps <= 0.3, "eps " + eps);
            belowGeometricMiddle += lr < Math.sqrt(1e-4 * 1e-1) ? 1 : 0;
            belowLinearMiddle += eps < 0.2 ? 1 : 0;
            steps.add((Integer) v.get("adversarial.steps"));
            recipes.add(v.get("adversarial.recipe"));
        }
        // Log-uniform: half the draws below the geometric middle (3.2e-3); uniform would put 3% there.
        assertTrue(Math.abs(belowGeometricMiddle - 200) < 40, "log scale: " + belowGeometricMiddle + " of 400");
        assertTrue(Math.abs(belowLinearMiddle - 200) < 40, "linear scale: " + belowLinearMiddle + " of 400");
        assertEquals(Set.of(3, 4, 5, 6, 7, 8, 9, 10), steps, "every integer, ends included");
        assertEquals(Set.of("mart", "pgd-at", "trades"), recipes);
    }

    @Test
    void theSameSeedDrawsTheSameCandidates() {
        assertEquals(draw(20, 11), draw(20, 11));
        assertNotEquals(draw(5, 11), draw(5, 12));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGridHasEveryCombinationWithContinuousRangesAtTheirPoints() {
        Map<String, SweepConfig.Range> space = new LinkedHashMap<>();
        space.put("training.learning_rate", SweepConfig.Range.fromYaml(null, 1e-4, 1e-2, SweepConfig.Scale.LOG, null));
        space.put("adversarial.eps", SweepConfig.Range.fromYaml(null, 0.1, 0.3, null, null));
        space.put("model.width", SweepConfig.Range.fromYaml(null, null, null, null,
                List.of(NODES.numberNode(0.5), NODES.numberNode(2))));
        GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(new ConfigSpace(space), 3,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        assertEquals(18, grid.getTotalNumCandidates());
        Set<List<Object>> seen = new HashSet<>();
        while (grid.hasMoreCandidates()) {
            Map<String, Object> v = (Map<String, Object>) grid.getCandidate().getValue();
            seen.add(List.copyOf(v.values()));
        }
        Set<List<Object>> expected = new HashSet<>();
        for (double lr : new double[] {1e-4, 1e-3, 1e-2}) {
            for (double eps : new double[] {0.1, 0.2, 0.3}) {
                for (Object width : List.of(0.5, 2)) {
                    expected.add(List.of(lr, eps, width));
                }
            }
        }
        assertEquals(18, seen.size());
        // Arbiter's log-uniform inverse CDF is exp(...), so compare within rounding.
        for (List<Object> e : expected) {
            assertTrue(seen.stream().anyMatch(s -> Math.abs((Double) s.get(0) / (Double) e.get(0) - 1) < 1e-9
                    && Math.abs((Double) s.get(1) - (Double) e.get(1)) < 1e-12 && s.get(2).equals(e.get(2))),
                    "grid point " + e + " in " + seen);
        }
    }

    @Test
    void overridesAreYamlTheConfigLoaderReadsBack() {
        assertEquals("adversarial.recipe=\"trades\"", ConfigSpace.override("adversarial.recipe", "trades"));
        RunConfig c = ConfigLoader.load(null, List.of(
                ConfigSpace.override("adversarial.eps", 0.25),
                ConfigSpace.override("adversarial.recipe", "trades"),
                ConfigSpace.override("adversarial.steps", 7),
                ConfigSpace.override("training.lr_schedule", "step"),
                ConfigSpace.override("training.lr_milestones", List.of(2, 4)),
                ConfigSpace.override("output.runs_dir", "a: b #c")), Map.of());
        assertEquals(0.25, c.adversarial().eps());
        assertEquals(Recipe.TRADES, c.adversarial().recipe());
        assertEquals(7, c.adversarial().steps());
        assertEquals(List.of(2, 4), c.training().lrMilestones());
        assertEquals("a: b #c", c.output().runsDir());
    }
}
