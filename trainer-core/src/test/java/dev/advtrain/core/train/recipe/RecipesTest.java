package dev.advtrain.core.train.recipe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.train.Trainable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every recipe, on a MultiLayerNetwork and on a ComputationGraph, trains a model that keeps its
 * clean accuracy and is far more robust to PGD than the same model trained on clean images.
 */
class RecipesTest {

    static double cleanTrainedRobust;

    @BeforeAll
    static void trainCleanBaseline() {
        Trainable clean = RecipeHarness.train(RecipeHarness.config("adversarial.mixing.policy=clean-only"));
        cleanTrainedRobust = RecipeHarness.robustAccuracy(clean);
        assertTrue(RecipeHarness.cleanAccuracy(clean) > 0.9, "the clean baseline did not learn the task");
        assertTrue(cleanTrainedRobust < 0.5, "the clean baseline is already robust: " + cleanTrainedRobust);
    }

    /** Each recipe at its defaults, except 5 attack steps of 0.4 eps for the multi-step ones and 2 replays. */
    @ParameterizedTest(name = "{0}, graph {1}")
    @CsvSource({
        "pgd-at, false", "fast-at, false", "n-fgsm, false", "free, false", "trades, false", "mart, false",
        "pgd-at, true", "free, true", "trades, true"})
    void recipeBuysRobustness(String recipe, boolean graph) {
        boolean multiStep = recipe.equals("pgd-at") || recipe.equals("trades") || recipe.equals("mart");
        Trainable model = RecipeHarness.train(RecipeHarness.config("adversarial.recipe=" + recipe,
                "adversarial.mixing=null", "model.graph=" + graph, "adversarial.replays=2",
                "adversarial.steps=" + (multiStep ? "5" : "null"), "adversarial.rel_step_size=" + (multiStep ? "0.4" : "null"),
                "adversarial.random_start=null", "adversarial.attack=null"));
        double clean = RecipeHarness.cleanAccuracy(model);
        double robust = RecipeHarness.robustAccuracy(model);
        assertTrue(clean > 0.9, recipe + ": clean accuracy " + clean);
        assertTrue(robust > cleanTrainedRobust + 0.3, String.format("%s: PGD robust accuracy %.3f, clean-trained %.3f",
                recipe, robust, cleanTrainedRobust));
    }
}
