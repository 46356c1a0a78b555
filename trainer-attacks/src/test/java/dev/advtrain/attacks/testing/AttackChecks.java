package dev.advtrain.attacks.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackResult;
import dev.advtrain.attacks.Classifier;
import dev.advtrain.attacks.Criterion;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The invariants every attack must keep, for any attack's tests: the result inside the eps-ball and
 * the valid range, finite, shaped like the input; the input and the model exactly as they were; the
 * same result under the same seed.
 */
public final class AttackChecks {

    private AttackChecks() {
    }

    /** Runs the attack and asserts every invariant; returns the result for further checks. */
    public static <M extends Classifier> AttackResult assertInvariants(Attack<M> attack, M classifier, Model model,
            INDArray x, Criterion criterion) {
        INDArray xBefore = x.dup();
        ModelState before = ModelState.of(model);

        AttackResult result = attack.generate(classifier, x, criterion);

        INDArray adv = result.adversarial();
        String name = attack.name();
        assertEquals(xBefore, x, name + " modified its input");
        assertArrayEquals(x.shape(), adv.shape(), name + " changed the shape");
        assertFalse(adv.isNaN().any() || adv.isInfinite().any(), name + ": NaN or infinite values");
        double[] norms = attack.norm().perExampleNorm(adv.sub(x));
        for (double n : norms) {
            assertTrue(n <= attack.eps() * (1 + 1e-5) + 1e-6, name + ": perturbation " + n + " outside the eps-ball " + attack.eps());
        }
        assertTrue(adv.minNumber().doubleValue() >= attack.clipMin() && adv.maxNumber().doubleValue() <= attack.clipMax(),
                name + ": outside the valid range");
        before.assertUnchanged(model);
        return result;
    }

    /** Two attacks built alike (same seed) give the same adversarial batch. */
    public static <M extends Classifier> void assertDeterministic(Supplier<? extends Attack<M>> attack, M classifier,
            INDArray x, Criterion criterion) {
        INDArray first = attack.get().generate(classifier, x, criterion).adversarial();
        INDArray second = attack.get().generate(classifier, x, criterion).adversarial();
        assertEquals(first, second, "same seed, different adversarial examples");
    }

    /** Everything an attack could disturb: parameters, updater state, counters, input and label fields. */
    public record ModelState(INDArray params, INDArray updater, int iterations, int epochs, Object input, Object labels) {

        /** A snapshot of the model now. */
        public static ModelState of(Model model) {
            if (model instanceof MultiLayerNetwork net) {
                return new ModelState(net.params().dup(), updaterState(net.getUpdater() == null ? null
                        : net.getUpdater().getStateViewArray()), net.getIterationCount(), net.getEpochCount(),
                        net.getInput(), net.getLabels());
            }
            ComputationGraph graph = (ComputationGraph) model;
            return new ModelState(graph.params().dup(), updaterState(graph.getUpdater() == null ? null
                    : graph.getUpdater().getStateViewArray()), graph.getIterationCount(), graph.getEpochCount(),
                    graph.getInputs(), null);
        }

        private static INDArray updaterState(INDArray state) {
            return state == null ? null : state.dup();
        }

        /** Asserts that nothing in the snapshot changed. */
        public void assertUnchanged(Model model) {
            ModelState after = of(model);
            assertEquals(params, after.params, "parameters changed");
            assertEquals(updater, after.updater, "updater state changed");
            assertEquals(iterations, after.iterations, "iteration count changed");
            assertEquals(epochs, after.epochs, "epoch count changed");
            assertSame(input, after.input, "input field changed");
            assertSame(labels, after.labels, "labels field changed");
        }
    }
}
