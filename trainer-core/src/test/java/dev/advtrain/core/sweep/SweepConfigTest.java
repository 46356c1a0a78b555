package dev.advtrain.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Sweep files: the shipped ones plan against their base configs, and every mistake is one line naming the key. */
class SweepConfigTest {

    @TempDir
    Path tmp;

    static Stream<Path> shippedSweeps() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "configs"))) {
            List<Path> sweeps = files.filter(p -> p.getFileName().toString().matches("sweep-.*\\.yaml")).sorted().toList();
            assertFalse(sweeps.isEmpty(), "configs/sweep-*.yaml");
            return sweeps.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedSweeps")
    void everyShippedSweepPlansAgainstItsBaseAndRoundTrips(Path file) {
        Sweep.Plan plan = Sweep.plan(file, List.of(), Map.of());
        SweepConfig resolved = plan.sweep().resolved("base.yaml");
        assertEquals(resolved, ConfigLoader.bindYaml(resolved.toYaml(), "saved", SweepConfig.class));
        assertTrue(resolved.parallel() >= 1);
    }

    @Test
    void defaultsAreARandomSearchForTheRobustAccuracy() throws IOException {
        SweepConfig s = SweepConfig.load(write("space: {adversarial.eps: {min: 0.1, max: 0.3}}\nbudget: {candidates: 2}\n"),
                List.of());
        assertEquals(SweepConfig.Method.RANDOM, s.search().method());
        assertEquals(SweepConfig.Metric.ROBUST, s.objective().metric());
        assertEquals(0.0, s.objective().minClean());
        assertEquals(new SweepConfig.Range(SweepConfig.Type.CONTINUOUS, 0.1, 0.3, SweepConfig.Scale.LINEAR, null),
                s.space().get("adversarial.eps"));
        assertEquals("sweep", s.name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "budget: {candidates: 2}                                      | space: give at least one config key",
        "space: {adversarial.eps: {min: 0.3, max: 0.1}}               | space.adversarial.eps: give finite min < max, got min 0.3, max 0.1",
        "space: {adversarial.eps: {max: 0.1}}                         | space.adversarial.eps: give finite min < max, got min null, max 0.1",
        "space: {training.learning_rate: {min: 0, max: 0.1, scale: log}} | space.training.learning_rate: scale log needs min > 0, got 0.0",
        "space: {adversarial.steps: {min: 1, max: 9, type: integer, scale: log}} | space.adversarial.steps: scale log is for continuous ranges",
        "space: {adversarial.steps: {min: 1.5, max: 9, type: integer}} | space.adversarial.steps: an integer range needs whole min and max",
        "space: {adversarial.recipe: {values: [trades]}}               | space.adversarial.recipe: a discrete range needs at least two values",
        "space: {adversarial.recipe: {values: [a, b], min: 1}}         | space.adversarial.recipe: a discrete range takes values only",
        "space: {adversarial.eps: {min: 0.1, max: 0.3}}\\nset: {adversarial.eps: 0.2} | set.adversarial.eps: the key is also in space",
        "space: {name: {values: [a, b]}}                               | space.name: the sweep names each candidate",
        "space: {output.runs_dir: {values: [a, b]}}                    | space.output.runs_dir: the sweep names each candidate",
        "space: {adversarial.eps: {min: 0.1, max: 0.3}}\\nbudget: {candidates: 0} | budget: a random search never runs out of candidates",
        "space: {adversarial.eps: {min: 0.1, max: 0.3}}\\nsearch: {method: grid, grid_points: 1} | search.grid_points: must be >= 2, got 1",
        "space: {adversarial.eps: {min: 0.1, max: 0.3}}\\nsearch: {method: grid}\\nobjective: {clean_weight: 2} | objective.clean_weight: must be in [0, 1], got 2.0",
        "space: {adversarial.eps: {min: 0.1, max: 0.3}}\\nsearch: {method: grid}\\nparallel: 0 | parallel: must be >= 1",
        "space: {adversarial.eps: {min: 0.1, max: 0.3, scale: cubic}}  | space.adversarial.eps.scale: unknown value 'cubic' (allowed: linear, log)",
        "space: {adversarial.eps: {min: 0.1, max: 0.3}}\\nsearch: {method: bayes} | search.method: unknown value 'bayes' (allowed: random, grid)",
    })
    void mistakesAreOneLineNamingTheKey(String yaml, String expected) throws IOException {
        Path file = write(yaml.replace("\\n", "\n"));
        String message = assertThrows(UserErrorException.class, () -> Sweep.plan(file, List.of(), Map.of())).getMessage();
        assertTrue(message.startsWith(file + ": ") && message.contains(expected), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void theIssuesKeysAreAllSearchable() throws IOException {
        Path file = write(String.join("\n",
                "set: {adversarial.recipe: trades, adversarial.attack: pgd, adversarial.mixing.policy: adversarial-only}",
                "space:",
                "  adversarial.eps: {min: 0.1, max: 0.3}",
                "  adversarial.steps: {min: 3, max: 10, type: integer}",
                "  adversarial.rel_step_size: {min: 0.1, max: 0.5}",
                "  adversarial.eps_warmup_epochs: {min: 0.0, max: 1.0}",
                "  training.learning_rate: {min: 0.0001, max: 0.01, scale: log}",
                "  training.batch_size: {values: [64, 128, 256]}",
                "  adversarial.beta: {min: 1, max: 6}",
                "  model.width: {values: [0.5, 1, 2]}",
                "budget: {candidates: 3}", ""));
        Sweep.Plan plan = Sweep.plan(file, List.of(), Map.of());
        assertEquals(8, plan.sweep().space().size());
        // Every combination Arbiter draws is a valid run config.
        RandomSearchGenerator generator = new RandomSearchGenerator(new ConfigSpace(plan.sweep().space()), null);
        generator.setRngSeed(1);
        Files.writeString(tmp.resolve("base.yaml"), plan.base().toYaml());
        SweepConfig resolved = plan.sweep().resolved("base.yaml");
        for (int i = 0; i < 5; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) generator.getCandidate().getValue();
            RunConfig config = CandidateTrainer.config(tmp, resolved, i + 1, values);
            assertEquals(values.get("adversarial.steps"), config.adversarial().steps());
            assertEquals(values.get("training.batch_size"), config.training().batchSize());
            assertEquals((Double) values.get("adversarial.beta"), config.adversarial().beta());
            assertEquals(((Number) values.get("model.width")).doubleValue(), config.model().width());
            assertEquals("candidate-00" + (i + 1), config.name());
        }
    }

    @Test
    void keysUnknownToTheRunConfigFailBeforeAnyCandidateRuns() throws IOException {
        Path file = write("space: {adversarial.epz: {min: 0.1, max: 0.3}}\nbudget: {candidates: 2}\n");
        String message = assertThrows(UserErrorException.class, () -> Sweep.plan(file, List.of(), Map.of())).getMessage();
        assertTrue(message.startsWith(file + ": space.adversarial.epz: ") && message.contains("epz"), message);

        Path wrongType = write("space: {training.epochs: {min: 1, max: 4}}\nbudget: {candidates: 2}\n");
        message = assertThrows(UserErrorException.class, () -> Sweep.plan(wrongType, List.of(), Map.of())).getMessage();
        assertTrue(message.contains("training.epochs") && message.endsWith("(for a whole-number key, add type: integer)"),
                message);

        Path badSet = write("set: {training.epochs: 0}\nspace: {adversarial.eps: {min: 0.1, max: 0.3}}\nbudget: {candidates: 2}\n");
        message = assertThrows(UserErrorException.class, () -> Sweep.plan(badSet, List.of(), Map.of())).getMessage();
        assertTrue(message.startsWith(badSet + ": set: ") && message.contains("training.epochs must be >= 1, got 0"), message);

        Path noBase = write("base: nowhere.yaml\nspace: {adversarial.eps: {min: 0.1, max: 0.3}}\nbudget: {candidates: 2}\n");
        message = assertThrows(UserErrorException.class, () -> Sweep.plan(noBase, List.of(), Map.of())).getMessage();
        assertEquals(noBase + ": base: config file not found: " + tmp.toAbsolutePath().resolve("nowhere.yaml"), message);

        Path sparkInParallel = write("set: {distributed.master: 'local[2]'}\nspace: {adversarial.eps: {min: 0.1, max: 0.3}}\n"
                + "budget: {candidates: 2}\nparallel: 2\n");
        message = assertThrows(UserErrorException.class, () -> Sweep.plan(sparkInParallel, List.of(), Map.of())).getMessage();
        assertTrue(message.contains("parallel: candidates that train on Spark"), message);

        Path noValidation = write("set: {data.validation_size: 0}\nspace: {adversarial.eps: {min: 0.1, max: 0.3}}\n"
                + "budget: {candidates: 2}\n");
        message = assertThrows(UserErrorException.class, () -> Sweep.plan(noValidation, List.of(), Map.of())).getMessage();
        assertTrue(message.contains("candidates are scored on validation accuracy"), message);
    }

    @Test
    void aResumeMayChangeOnlyTheBudgetAndParallelism() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("sweep"));
        Files.writeString(dir.resolve("sweep.yaml"), "space: {adversarial.eps: {min: 0.1, max: 0.3}}\nbudget: {candidates: 2}\n");
        String message = assertThrows(UserErrorException.class,
                () -> Sweep.resume(dir, List.of("space.adversarial.eps.max=0.4"))).getMessage();
        assertEquals("--set space.adversarial.eps.max=0.4: a resumed sweep keeps its search; only budget.candidates,"
                + " budget.minutes, parallel may change", message);
        assertEquals(5, Sweep.resume(dir, List.of("budget.candidates=5")).config().budget().candidates());
        assertTrue(assertThrows(UserErrorException.class, () -> Sweep.resume(tmp, List.of())).getMessage()
                .endsWith("is not an advtrain sweep directory (no sweep.yaml)"));
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(tmp, "sweep", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
