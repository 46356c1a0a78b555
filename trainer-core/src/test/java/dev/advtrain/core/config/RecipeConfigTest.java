package dev.advtrain.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code adversarial.recipe} keys and their defaults, {@code training.lr_peak}, {@code training.ema_decay} and the {@code
 * guards:} section: what is inferred when left out, what is rejected and how the message names it,
 * and that the resolved YAML reads back to the same config.
 */
class RecipeConfigTest {

    private static RunConfig load(String... sets) {
        return ConfigLoader.load(null, List.of(sets), Map.of());
    }

    private static String error(String... sets) {
        return assertThrows(UserErrorException.class, () -> load(sets)).getMessage();
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    @ParameterizedTest
    @CsvSource({"pgd, pgd-at", "fgsm-rs, fast-at", "fgsm, fast-at"})
    void theRecipeIsInferredFromTheAttackWhenLeftOut(String attack, String recipe) {
        assertEquals(Recipe.of(recipe), load("adversarial.attack=" + attack).adversarial().recipe());
    }

    @Test
    void withNeitherRecipeNorAttackItIsFastAtWithFgsmRs() {
        AdversarialConfig a = load().adversarial();
        assertEquals(Recipe.FAST_AT, a.recipe());
        assertEquals(AttackName.FGSM_RS, a.attack());
        assertEquals(1.25, a.relStepSize());
    }

    /** recipe, then the attack, steps, random start and rel_step_size it implies. */
    @ParameterizedTest
    @CsvSource({
        "pgd-at,  pgd,     10, true,  0.25",
        "fast-at, fgsm-rs, 1,  true,  1.25",
        "n-fgsm,  fgsm-rs, 1,  true,  1.0",
        "free,    fgsm,    1,  false, 1.0",
        "trades,  pgd,     10, true,  0.25",
        "mart,    pgd,     10, true,  0.25"})
    void theAttackAndItsKeysDefaultFromTheRecipe(String recipe, String attack, int steps, boolean randomStart,
            double relStepSize) {
        AdversarialConfig a = load("adversarial.recipe=" + recipe).adversarial();
        assertEquals(AttackName.of(attack), a.attack());
        assertEquals(steps, a.steps());
        assertEquals(randomStart, a.randomStart());
        assertEquals(relStepSize, a.relStepSize());
        assertNull(a.stepSize());
    }

    @Test
    void nFgsmKeepsAGivenStep() {
        assertEquals(0.5, load("adversarial.recipe=n-fgsm", "adversarial.rel_step_size=0.5").adversarial().relStepSize());
        AdversarialConfig absolute = load("adversarial.recipe=n-fgsm", "adversarial.step_size=0.05").adversarial();
        assertNull(absolute.relStepSize());
        assertEquals(0.05, absolute.trainingAttack().resolvedStepSize());
    }

    @ParameterizedTest
    @CsvSource({"pgd-at, mix", "fast-at, mix", "n-fgsm, mix", "free, adversarial-only", "trades, adversarial-only",
        "mart, adversarial-only"})
    void mixingDefaultsByRecipe(String recipe, String policy) {
        assertEquals(MixingPolicy.of(policy), load("adversarial.recipe=" + recipe).adversarial().mixing().policy());
    }

    @ParameterizedTest
    @CsvSource({"free, mix", "trades, alternate", "mart, clean-only"})
    void recipesThatTrainOnEveryBatchRejectAnotherMixing(String recipe, String policy) {
        assertContains("adversarial.mixing.policy must be adversarial-only for recipe " + recipe,
                error("adversarial.recipe=" + recipe, "adversarial.mixing.policy=" + policy));
        assertContains("adversarial.mixing.policy must be adversarial-only for recipe " + recipe,
                error("adversarial.recipe=" + recipe, "adversarial.mixing.fraction=0.3"));
        assertEquals(MixingPolicy.ADVERSARIAL_ONLY, load("adversarial.recipe=" + recipe,
                "adversarial.mixing.policy=adversarial-only").adversarial().mixing().policy());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pgd-at  | fgsm    | adversarial.attack must be pgd for recipe pgd-at, got fgsm",
        "fast-at | pgd     | adversarial.attack must be fgsm-rs or fgsm for recipe fast-at, got pgd",
        "n-fgsm  | fgsm    | adversarial.attack must be fgsm-rs for recipe n-fgsm, got fgsm",
        "free    | fgsm-rs | adversarial.attack must be fgsm for recipe free, got fgsm-rs",
        "trades  | fgsm    | adversarial.attack must be pgd for recipe trades, got fgsm",
        "mart    | fgsm-rs | adversarial.attack must be pgd for recipe mart, got fgsm-rs"})
    void anAttackTheRecipeDoesNotTakeIsRejected(String recipe, String attack, String expected) {
        assertContains(expected, error("adversarial.recipe=" + recipe, "adversarial.attack=" + attack));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "adversarial.replays=0                 | adversarial.replays must be >= 1, got 0",
        "adversarial.beta=0                    | adversarial.beta must be > 0, got 0",
        "adversarial.beta=-1                   | adversarial.beta must be > 0, got -1",
        "adversarial.noise=-0.5                | adversarial.noise must be >= 0, got -0.5",
        "training.lr_peak=0                    | training.lr_peak must be in (0, 1), got 0",
        "training.lr_peak=1                    | training.lr_peak must be in (0, 1), got 1",
        "training.ema_decay=1                  | training.ema_decay must be in [0, 1) (0 = no weight averaging), got 1",
        "training.ema_decay=-0.5               | training.ema_decay must be in [0, 1) (0 = no weight averaging), got -0.5",
        "guards.collapse.every=-1              | guards.collapse.every must be >= 0, got -1",
        "guards.collapse.images=0              | guards.collapse.images must be >= 1, got 0",
        "guards.collapse.drop=0                | guards.collapse.drop must be in (0, 1], got 0",
        "guards.collapse.drop=1.5              | guards.collapse.drop must be in (0, 1], got 1.5",
        "guards.collapse.step_factor=1         | guards.collapse.step_factor must be in (0, 1), got 1",
        "guards.collapse.step_factor=0         | guards.collapse.step_factor must be in (0, 1), got 0",
        "guards.collapse.max_collapses=0       | guards.collapse.max_collapses must be >= 1, got 0",
        "guards.early_stopping=-1              | guards.early_stopping must be >= 0, got -1",
        "guards.collapse.action=panic          | guards.collapse.action: unknown value 'panic' (allowed: off, stop, rollback, lower-step)",
        "guards.colapse.drop=0.1               | unknown key 'guards.colapse'",
        "adversarial.recipe=madry              | adversarial.recipe: unknown value 'madry' (allowed: pgd-at, fast-at, n-fgsm, free, trades, mart)"})
    void eachBoundNamesTheKeyAndValue(String set, String expected) {
        String message = error(set);
        assertTrue(message.startsWith("--set " + set + ": "), message);
        assertContains(expected, message);
    }

    @Test
    void tradesTakesOneRestart() {
        assertContains("adversarial.restarts must be 1 for recipe trades, got 2",
                error("adversarial.recipe=trades", "adversarial.restarts=2"));
        assertEquals(2, load("adversarial.recipe=mart", "adversarial.restarts=2").adversarial().restarts());
    }

    @Test
    void boundaryValuesAreAccepted() {
        RunConfig c = load("adversarial.recipe=free", "adversarial.replays=1", "adversarial.noise=0",
                "training.lr_peak=0.01", "training.ema_decay=0", "guards.collapse.every=0", "guards.collapse.images=1", "guards.collapse.drop=1",
                "guards.collapse.max_collapses=1", "guards.early_stopping=0");
        assertEquals(1, c.adversarial().replays());
        assertEquals(1.0, c.guards().collapse().drop());
    }

    @Test
    void guardDefaults() {
        GuardsConfig g = load().guards();
        assertEquals(new GuardsConfig(new GuardsConfig.Collapse(CollapseAction.LOWER_STEP, 0, 256, 0.2, 0.75, 3), 0), g);
        assertEquals(0.4, load().training().lrPeak());
        assertEquals(0.0, load().training().emaDecay(), "weight averaging is off by default");
        AdversarialConfig a = load().adversarial();
        assertEquals(4, a.replays());
        assertEquals(6.0, a.beta());
        assertEquals(2.0, a.noise());
    }

    @ParameterizedTest
    @CsvSource({"pgd-at", "fast-at", "n-fgsm", "free", "trades", "mart"})
    void theResolvedYamlReadsBackTheSame(String recipe) {
        RunConfig c = load("adversarial.recipe=" + recipe, "adversarial.replays=3", "adversarial.beta=2.5",
                "adversarial.noise=1.5", "training.lr_schedule=cyclic", "training.lr_peak=0.3", "training.ema_decay=0.999",
                "guards.collapse.action=rollback", "guards.collapse.every=50", "guards.collapse.images=64",
                "guards.collapse.drop=0.3", "guards.collapse.step_factor=0.5", "guards.collapse.max_collapses=2",
                "guards.early_stopping=4");
        String yaml = c.toYaml();
        assertContains("recipe: " + recipe, yaml);
        assertContains("action: rollback", yaml);
        assertContains("early_stopping: 4", yaml);
        assertContains("lr_peak: 0.3", yaml);
        assertContains("ema_decay: 0.999", yaml);
        assertEquals(c, ConfigLoader.fromYaml(yaml));
        assertFalse(c.equals(load("adversarial.recipe=" + recipe)), "the overrides were ignored");
    }
}
