package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * BIM, MI-FGSM and the PGD variants (L1 sparse steps, margin loss, early stop): invariants on tiny
 * models of every kind, presets, query counts and determinism (strength: GradientAttackStrengthTest).
 */
class GradientAttacksTest {

    private static final double EPS = 0.1;

    /** Trained a few steps (non-trivial updater state and batch-norm statistics), each with its classifier. */
    private static final Map<String, Model> MODELS = new LinkedHashMap<>();
    private static final Map<String, DifferentiableClassifier> CLASSIFIERS = new LinkedHashMap<>();

    @BeforeAll
    static void models() {
        DataSet data = TinyData.quadrants(32, 11, DataType.FLOAT);
        MODELS.put("mlp", TinyModels.train(TinyModels.mlp(1, DataType.FLOAT), data, 3));
        MODELS.put("cnn-nchw", TinyModels.train(TinyModels.cnnNchw(2, DataType.FLOAT), TinyData.asImages(data), 3));
        MODELS.put("graph", TinyModels.train(TinyModels.graphWithDropoutAndBatchNorm(3, DataType.FLOAT), data, 3));
        MODELS.forEach((name, model) -> CLASSIFIERS.put(name, Classifiers.of(model)));
    }

    /** Each attack with a criterion (targeted or not), on each model. */
    static Stream<Arguments> attacksAndModels() {
        Map<Supplier<Attack<DifferentiableClassifier>>, Boolean> attacks = new LinkedHashMap<>();
        attacks.put(() -> ProjectedGradientDescent.bim(EPS), false);
        attacks.put(() -> MomentumIterativeAttack.builder().eps(EPS).steps(5).build(), true);
        attacks.put(() -> MomentumIterativeAttack.builder().name("mi-fgsm-l2").norm(L2Norm.INSTANCE).eps(4 * EPS).steps(5).build(), false);
        attacks.put(() -> ProjectedGradientDescent.builder().name("pgd-l1").norm(L1Norm.sparse(0.9)).eps(10 * EPS).steps(5).seed(4).build(), false);
        attacks.put(() -> ProjectedGradientDescent.builder().name("pgd-l1-targeted").norm(L1Norm.INSTANCE).eps(10 * EPS).steps(5).seed(4).build(), true);
        attacks.put(() -> ProjectedGradientDescent.builder().name("pgd-margin").loss(Losses.margin()).eps(EPS).steps(5).seed(5).build(), false);
        attacks.put(() -> ProjectedGradientDescent.builder().name("pgd-early-stop").earlyStop(true).eps(EPS).steps(5).restarts(2).seed(6).build(), false);
        attacks.put(() -> ProjectedGradientDescent.builder().name("pgd-margin-early-stop").loss(Losses.margin()).earlyStop(true).eps(EPS).steps(5).seed(7).build(), true);
        return attacks.entrySet().stream().flatMap(a -> MODELS.keySet().stream().map(m -> {
            Attack<DifferentiableClassifier> attack = a.getKey().get();
            return Arguments.of(attack.name(), attack, m, a.getValue());
        }));
    }

    @ParameterizedTest(name = "{0} on {2}, targeted {3}")
    @MethodSource("attacksAndModels")
    void keepsTheThreatModelOnEveryModelKind(String name, Attack<DifferentiableClassifier> attack, String model, boolean targeted) {
        DataSet batch = TinyData.quadrants(16, 12, DataType.FLOAT);
        if (model.equals("cnn-nchw")) {
            batch = TinyData.asImages(batch);
        }
        Criterion criterion = targeted ? Criterion.targeted(TinyData.nextClassTargets(batch.getLabels()))
                : Criterion.untargeted(batch.getLabels());
        AttackResult result = AttackChecks.assertInvariants(attack, CLASSIFIERS.get(model), MODELS.get(model),
                batch.getFeatures(), criterion);
        double moved = Arrays.stream(result.perturbationNorms()).max().orElse(0);
        assertTrue(moved > attack.eps() / 4, name + " did not move: " + moved);
        assertTrue(result.meanQueries() >= 1, "no gradient pass counted");
    }

    @Test
    void bimIsPgdFromTheCleanInputWithTenQuarterSteps() {
        ProjectedGradientDescent bim = ProjectedGradientDescent.bim(0.03);
        assertEquals("bim", bim.name());
        assertFalse(bim.randomStart());
        assertEquals(10, bim.steps());
        assertEquals(StepSize.relative(0.25), bim.stepSize());
        assertNull(bim.loss());
        assertFalse(bim.earlyStop());
        MomentumIterativeAttack mi = MomentumIterativeAttack.builder().eps(0.03).build();
        assertEquals(1.0, mi.decay());
        assertEquals(10, mi.steps());
        assertEquals(0.003, mi.stepSize().resolve(mi.eps()), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> MomentumIterativeAttack.builder().steps(0).build());
        assertThrows(IllegalArgumentException.class, () -> MomentumIterativeAttack.builder().decay(-1).build());
    }

    @Test
    void queriesCountOneGradientPassPerExample() {
        DataSet batch = TinyData.quadrants(8, 3, DataType.FLOAT);
        Criterion criterion = Criterion.untargeted(batch.getLabels());
        AttackResult pgd = ProjectedGradientDescent.builder().eps(EPS).steps(3).restarts(2).earlyStop(true).loss(Losses.margin())
                .build().generate(CLASSIFIERS.get("mlp"), batch.getFeatures(), criterion);
        assertArrayEquals(new long[] {6, 6, 6, 6, 6, 6, 6, 6}, pgd.queries());
        AttackResult mi = MomentumIterativeAttack.builder().eps(EPS).steps(4).build()
                .generate(CLASSIFIERS.get("mlp"), batch.getFeatures(), criterion);
        assertEquals(4.0, mi.meanQueries());
    }

    @Test
    void deterministicUnderASeed() {
        DataSet batch = TinyData.quadrants(16, 4, DataType.FLOAT);
        Criterion criterion = Criterion.untargeted(batch.getLabels());
        DifferentiableClassifier classifier = CLASSIFIERS.get("mlp");
        AttackChecks.assertDeterministic(() -> ProjectedGradientDescent.builder().norm(L1Norm.sparse(0.9)).eps(1.0).steps(4)
                .restarts(2).seed(8).build(), classifier, batch.getFeatures(), criterion);
        AttackChecks.assertDeterministic(() -> ProjectedGradientDescent.builder().eps(EPS).steps(4).earlyStop(true)
                .loss(Losses.margin()).seed(8).build(), classifier, batch.getFeatures(), criterion);
        AttackChecks.assertDeterministic(() -> MomentumIterativeAttack.builder().eps(EPS).steps(4).build(), classifier,
                batch.getFeatures(), criterion);
    }
}
