package dev.advtrain.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.StepSize;
import dev.advtrain.attacks.model.GradientMode;
import dev.advtrain.core.UserErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    /** The repository's configs/ directory; Maven runs tests in the module directory. */
    private static final Path CONFIGS = Path.of("..", "configs");

    @TempDir
    Path tmp;

    private Path file(String yaml) throws IOException {
        return Files.writeString(tmp.resolve("x.yaml"), yaml);
    }

    private RunConfig load(String yaml, String... sets) throws IOException {
        return ConfigLoader.load(file(yaml), List.of(sets), Map.of());
    }

    /** The error for {@code yaml} plus overrides, checked to be one line starting with its source. */
    private String error(String yaml, String... sets) throws IOException {
        Path f = file(yaml);
        String message = assertThrows(UserErrorException.class, () -> ConfigLoader.load(f, List.of(sets), Map.of()))
                .getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith(f + ": ") || message.startsWith("--set "), message);
        return message;
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    // --- defaults and the shipped configs

    @Test
    void defaultsAreValidAndMatchTheDocumentedSchema() {
        RunConfig c = RunConfig.defaults().validate();
        assertEquals("mnist-default", c.name());
        assertEquals(42, c.seed());
        assertEquals("data/mnist", c.data().dir());
        assertEquals(1000, c.data().validationSize());
        assertEquals(AttackName.FGSM_RS, c.adversarial().attack());
        assertEquals(1, c.adversarial().steps());
        assertEquals(0.125, c.adversarial().trainingAttack().resolvedStepSize(), 1e-12);
        assertEquals(GradientMode.INFERENCE, c.adversarial().gradientMode());
        assertEquals(MixingPolicy.MIX, c.adversarial().mixing().policy());
        assertEquals(new AttackConfig(AttackName.PGD, 0.1, 10, null, 0.25, true, 1, 0), c.validation());
        assertEquals(List.of(new AttackConfig(AttackName.PGD, 0.1, 20, 0.01, null, true, 1, 1000),
                new AttackConfig(AttackName.FGSM, 0.1, 1, null, 1.0, false, 1, 1000)), c.evaluation().attacks());
        assertEquals(Path.of("runs", "mnist-default"), c.runDirectory());
    }

    @Test
    void emptyYamlIsTheDefaults() throws IOException {
        assertEquals(RunConfig.defaults(), load(""));
        assertEquals(RunConfig.defaults(), load("# nothing but a comment\n"));
        assertEquals(RunConfig.defaults(), ConfigLoader.load(null, List.of(), Map.of()));
    }

    static Stream<Path> exampleConfigs() throws IOException {
        try (Stream<Path> files = Files.list(CONFIGS)) {
            // eval-*.yaml are evaluation suites and sweep-*.yaml sweeps, not run configs: SuiteConfigTest
            // and SweepConfigTest load those.
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().matches("(eval|sweep)-.*"))
                    .sorted().toList();
            assertFalse(yamls.isEmpty(), "no configs in " + CONFIGS.toAbsolutePath());
            return yamls.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exampleConfigs")
    void everyExampleConfigLoadsValidatesAndRoundTrips(Path config) {
        RunConfig c = ConfigLoader.load(config, List.of(), Map.of());
        assertEquals(c, ConfigLoader.fromYaml(c.toYaml()));
    }

    @Test
    void attackDefaultsDependOnTheAttack() throws IOException {
        RunConfig c = load("evaluation:\n  attacks:\n    - {attack: fgsm, eps: 0.2}\n    - {eps: 0.3}\n"
                + "adversarial: {attack: pgd}\n");
        AttackConfig fgsm = c.evaluation().attacks().get(0);
        assertEquals(1, fgsm.steps());
        assertFalse(fgsm.randomStart());
        assertEquals(0.2, fgsm.resolvedStepSize(), 1e-12);
        AttackConfig pgd = c.evaluation().attacks().get(1);
        assertEquals(new AttackConfig(AttackName.PGD, 0.3, 10, null, 0.25, true, 1, 0), pgd);
        assertEquals(StepSize.relative(0.25), pgd.toStepSize());
        assertEquals(10, c.adversarial().steps());
        assertEquals(0.025, c.adversarial().trainingAttack().resolvedStepSize(), 1e-12);
    }

    // --- errors from the file

    @Test
    void missingFileIsNamed() {
        Path missing = tmp.resolve("nope.yaml");
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> ConfigLoader.load(missing, List.of(), Map.of()));
        assertEquals("config file not found: " + missing, e.getMessage());
    }

    @Test
    void unknownKeyNamesItsPathAndTheKnownKeys() throws IOException {
        Path f = tmp.resolve("x.yaml");
        assertEquals(f + ": unknown key 'adversarial.epz' (known: recipe, attack, eps, steps, step_size,"
                + " rel_step_size, random_start, restarts, eps_warmup_epochs, gradient_mode, mixing, replays, beta,"
                + " noise)",
                error("adversarial:\n  epz: 0.1\n"));
        assertContains("unknown key 'evaluation.attacks[1].stepz'",
                error("evaluation:\n  attacks:\n    - {attack: pgd}\n    - {attack: pgd, stepz: 3}\n"));
        assertContains("unknown key 'trainig' (known: name, seed, data,", error("trainig:\n  epochs: 2\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{adversarial: {steps: abc}}         | adversarial.steps: expected an integer, got 'abc'",
        "{adversarial: {steps: 2.5}}         | adversarial.steps: expected an integer, got '2.5'",
        "{adversarial: {eps: big}}           | adversarial.eps: expected a number, got 'big'",
        "{adversarial: {random_start: maybe}}| adversarial.random_start: expected true or false, got 'maybe'",
        "{adversarial: {attack: cw}}         | adversarial.attack: unknown value 'cw' (allowed: fgsm, fgsm-rs, pgd)",
        "{adversarial: {gradient_mode: eval}}| adversarial.gradient_mode: unknown value 'eval' (allowed: inference, training)",
        "{adversarial: {mixing: {policy: x}}}| adversarial.mixing.policy: unknown value 'x' (allowed: mix, alternate, adversarial-only, clean-only)",
        "{model: {arch: resnet}}             | model.arch: unknown value 'resnet' (allowed: small-cnn, lenet, mlp, stride-cnn)",
        "{data: {dataset: cifar}}            | data.dataset: unknown value 'cifar' (allowed: mnist, idx, cifar10, folder, auto)",
        "{training: {optimizer: adamw}}      | training.optimizer: unknown value 'adamw' (allowed: adam, sgd, nesterovs)",
        "{training: {lr_milestones: 3}}      | training.lr_milestones: expected a list, got 3",
        "{adversarial: 5}                    | adversarial: expected a section of 'key: value' lines, got 5",
        "{name: [a, b]}                      | name: expected a text value, got a list",
    })
    void wrongTypeNamesTheKey(String yaml, String expected) throws IOException {
        assertEquals(tmp.resolve("x.yaml") + ": " + expected, error(yaml));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{adversarial: {eps: -0.1}}                | adversarial.eps must be in [0, 1] for inputs in [0, 1], got -0.1",
        "{adversarial: {eps: 1.5}}                 | adversarial.eps must be in [0, 1] for inputs in [0, 1], got 1.5",
        "{validation: {steps: 0}}                  | validation.steps must be >= 1, got 0",
        "{adversarial: {steps: 2}}                 | adversarial.steps must be 1 for attack fgsm-rs, got 2",
        "{evaluation: {attacks: [{attack: fgsm, steps: 2}]}} | evaluation.attacks[0].steps must be 1 for attack fgsm, got 2",
        "{evaluation: {attacks: [{attack: fgsm, random_start: true}]}} | evaluation.attacks[0].random_start must be false for attack fgsm",
        "{adversarial: {mixing: {fraction: 1.2}}}  | adversarial.mixing.fraction must be in [0, 1], got 1.2",
        "{adversarial: {mixing: {fraction: -0.5}}} | adversarial.mixing.fraction must be in [0, 1], got -0.5",
        "{adversarial: {mixing: {ratio: -1}}}      | adversarial.mixing.ratio must be >= 0, got -1",
        "{adversarial: {step_size: 0.01, rel_step_size: 1.0}} | adversarial.step_size and adversarial.rel_step_size are both set",
        "{validation: {step_size: 0}}              | validation.step_size must be > 0, got 0",
        "{validation: {restarts: 0}}               | validation.restarts must be >= 1, got 0",
        "{adversarial: {eps_warmup_epochs: -1}}    | adversarial.eps_warmup_epochs must be >= 0, got -1",
        "{model: {dropout: 1.0}}                   | model.dropout must be in [0, 1), got 1",
        "{model: {width: 0}}                       | model.width must be in (0, 16], got 0",
        "{model: {width: 2, zoo: lenet}}           | model.width scales advtrain's own architectures (model.arch); a zoo architecture keeps its widths, so leave it at 1",
        "{training: {epochs: 0}}                   | training.epochs must be >= 1, got 0",
        "{training: {learning_rate: 0}}            | training.learning_rate must be > 0, got 0",
        "{training: {lr_schedule: step}}           | training.lr_milestones must list at least one epoch for lr_schedule step",
        "{training: {lr_milestones: [3, 2]}}       | training.lr_milestones must be increasing epochs >= 1, got [3, 2]",
        "{data: {validation_size: -1}}             | data.validation_size must be >= 0, got -1",
        "{name: ../etc}                            | name must be letters, digits, '.', '_' or '-'",
    })
    void eachRangeRuleNamesTheKeyAndValue(String yaml, String expected) throws IOException {
        assertContains(tmp.resolve("x.yaml") + ": " + expected, error(yaml));
    }

    @Test
    void allBrokenRulesAreReportedOnOneLine() throws IOException {
        assertEquals(tmp.resolve("x.yaml") + ": adversarial.eps must be in [0, 1] for inputs in [0, 1], got 2;"
                + " adversarial.mixing.fraction must be in [0, 1], got 3",
                error("adversarial:\n  eps: 2\n  mixing:\n    fraction: 3\n"));
    }

    @Test
    void malformedYamlGivesTheLine() throws IOException {
        assertContains("malformed YAML at line 3, column 12: mapping values are not allowed here",
                error("name: a\nseed: 1\nmodel: arch: lenet\n"));
        assertContains("malformed YAML at line 3, column 6: duplicate key 'eps'",
                error("adversarial:\n  eps: 0.1\n  eps: 0.2\n"));
        assertContains("expected 'key: value' lines at the top level, got a list", error("- a\n- b\n"));
    }

    // --- --set overrides

    @Test
    void overridesSetNumbersStringsBooleansListsAndNull() throws IOException {
        RunConfig c = load("adversarial:\n  attack: pgd\n  steps: 7\n  rel_step_size: 0.5\n",
                "adversarial.eps=0.2", "training.epochs=3", "name=foo", "adversarial.random_start=false",
                "adversarial.mixing.policy=alternate", "training.lr_schedule=step", "training.lr_milestones=[2, 3]",
                "adversarial.rel_step_size=null", "adversarial.step_size=0.05", "seed=7");
        assertEquals(0.2, c.adversarial().eps());
        assertEquals(3, c.training().epochs());
        assertEquals("foo", c.name());
        assertEquals(7, c.adversarial().steps());
        assertFalse(c.adversarial().randomStart());
        assertEquals(MixingPolicy.ALTERNATE, c.adversarial().mixing().policy());
        assertEquals(List.of(2, 3), c.training().lrMilestones());
        assertNull(c.adversarial().relStepSize());
        assertEquals(0.05, c.adversarial().trainingAttack().resolvedStepSize());
        assertEquals(7, c.seed());
        assertEquals(0.2, ConfigLoader.load(null, List.of("adversarial.eps=0.2"), Map.of()).adversarial().eps());
    }

    @Test
    void laterOverridesWinAndSectionsCanBeReplaced() throws IOException {
        RunConfig c = load("", "adversarial.eps=0.2", "adversarial.eps=0.3",
                "evaluation.attacks=[{attack: pgd, eps: 0.3, steps: 40}]");
        assertEquals(0.3, c.adversarial().eps());
        assertEquals(List.of(new AttackConfig(AttackName.PGD, 0.3, 40, null, 0.25, true, 1, 0)),
                c.evaluation().attacks());
        RunConfig indexed = ConfigLoader.load(CONFIGS.resolve("mnist-default.yaml"),
                List.of("evaluation.attacks.0.eps=0.3"), Map.of());
        assertEquals(0.3, indexed.evaluation().attacks().get(0).eps());
    }

    @Test
    void overrideErrorsNameTheOverride() throws IOException {
        assertContains("--set adversarial.epz=1: unknown key 'adversarial.epz' (known: recipe, attack, eps,",
                error("", "adversarial.epz=1"));
        assertContains("--set foo.bar=1: unknown key 'foo'", error("", "foo.bar=1"));
        assertEquals("--set adversarial.eps=-1: adversarial.eps must be in [0, 1] for inputs in [0, 1], got -1",
                error("adversarial: {eps: 0.1}", "adversarial.eps=-1"));
        assertEquals("--set training.epochs=abc: training.epochs: expected an integer, got 'abc'",
                error("", "training.epochs=abc"));
        assertEquals("--set adversarial.attack=fgsm: adversarial.random_start must be false for attack fgsm"
                + " (use fgsm-rs for a random start)", error("adversarial: {random_start: true}", "adversarial.attack=fgsm"));
        assertEquals("--set adversarial.step_size=0.1: adversarial.step_size and adversarial.rel_step_size are both"
                + " set (0.1 and 1.25); set only one, the other to null",
                error("adversarial: {rel_step_size: 1.25}", "adversarial.step_size=0.1"));
        assertContains("--set epochs: expected key.path=value", error("", "epochs"));
        assertContains("--set adversarial..eps=1: expected key.path=value", error("", "adversarial..eps=1"));
        assertContains("--set training.epochs=[1,: malformed YAML", error("", "training.epochs=[1,"));
        assertContains("--set seed.x=1: seed is a single value", error("seed: 1", "seed.x=1"));
    }

    @Test
    void fileErrorsUnrelatedToAnOverrideStillNameTheFile() throws IOException {
        assertEquals(tmp.resolve("x.yaml") + ": training.epochs must be >= 1, got 0",
                error("training: {epochs: 0}", "adversarial.eps=0.2"));
    }

    // --- environment

    @Test
    void dataDirFromEnvironmentOnlyWhenTheConfigDoesNotSetIt() throws IOException {
        Map<String, String> env = Map.of(ConfigLoader.DATA_DIR_ENV, "/data/from-env");
        assertEquals("/data/from-env", ConfigLoader.load(file("seed: 1\n"), List.of(), env).data().dir());
        assertEquals("/data/from-env", ConfigLoader.load(file("data: {train_limit: 5}"), List.of(), env).data().dir());
        assertEquals("/data/from-env", ConfigLoader.load(null, List.of(), env).data().dir());
        assertEquals("mine", ConfigLoader.load(file("data: {dir: mine}"), List.of(), env).data().dir());
        assertEquals("cli", ConfigLoader.load(file(""), List.of("data.dir=cli"), env).data().dir());
        assertEquals("data/mnist", ConfigLoader.load(file(""), List.of(), Map.of()).data().dir());
        assertEquals("data/mnist",
                ConfigLoader.load(file(""), List.of(), Map.of(ConfigLoader.DATA_DIR_ENV, " ")).data().dir());
    }

    // --- YAML out

    @Test
    void toYamlRoundTrips() throws IOException {
        RunConfig c = load("", "name=round.trip_1", "seed=-3", "data.train_limit=500", "model.arch=mlp",
                "training.lr_schedule=step", "training.lr_milestones=[2, 5]", "training.learning_rate=1e-4",
                "adversarial.attack=pgd", "adversarial.steps=7", "adversarial.rel_step_size=null",
                "adversarial.step_size=0.0125", "adversarial.gradient_mode=training",
                "adversarial.mixing.policy=adversarial-only", "evaluation.attacks=[]");
        String yaml = c.toYaml();
        assertContains("gradient_mode: training", yaml);
        assertContains("policy: adversarial-only", yaml);
        assertEquals(c, ConfigLoader.fromYaml(yaml));
        assertEquals(RunConfig.defaults(), ConfigLoader.fromYaml(RunConfig.defaults().toYaml()));
    }

    @Test
    void validateRejectsAProgrammaticConfig() {
        RunConfig d = RunConfig.defaults();
        RunConfig bad = new RunConfig("x", 1, d.data(), d.model(), d.training(), d.adversarial(),
                new AttackConfig(AttackName.PGD, 0.1, 0, null, null, true, 1, 0), d.evaluation(), d.guards(), d.output(), d.finetune());
        assertEquals("validation.steps must be >= 1, got 0",
                assertThrows(UserErrorException.class, bad::validate).getMessage());
    }
}
