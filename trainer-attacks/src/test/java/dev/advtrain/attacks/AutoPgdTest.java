package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** APGD and APGD-T: the schedule, the threat model on every model shape, query counts, criteria, determinism. */
class AutoPgdTest {

    private static final double EPS = 0.08;

    /**
     * The reference (fra31/auto-attack, autopgd_base.py) checks the step size after windows of
     * {@code n_iter_2 = max(int(0.22 n), 1)} iterations, each next window shorter by
     * {@code size_decr = max(int(0.03 n), 1)} down to {@code n_iter_min = max(int(0.06 n), 1)}.
     * For n = 100: windows 22, 19, 16, 13, 10, 7, 6, 6, so checks after 22, 41, 57, 70, 80, 87, 93, 99.
     */
    @Test
    void checkpointsAreTheReferenceImplementations() {
        assertArrayEquals(new int[] {22, 41, 57, 70, 80, 87, 93, 99}, AutoPgd.checkpoints(100));
        // n = 1000: windows 220, 190, 160, 130, 100, 70, 60, 60.
        assertArrayEquals(new int[] {220, 410, 570, 700, 800, 870, 930, 990}, AutoPgd.checkpoints(1000));
        // n = 10: windows 2, then 1 (every term is at least 1).
        assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10}, AutoPgd.checkpoints(10));
        assertArrayEquals(new int[] {1}, AutoPgd.checkpoints(1));
    }

    /** For 100 iterations the reference's integers are the paper's p_j (Croce and Hein 2020, Section 3.2) times 100. */
    @Test
    void checkpointsFor100IterationsFollowThePapersFormula() {
        double previous = 0;
        double current = 0.22;
        int[] expected = new int[8];
        for (int j = 0; j < expected.length; j++) {
            expected[j] = (int) Math.round(current * 100);
            double next = current + Math.max(current - previous - 0.03, 0.06);
            previous = current;
            current = next;
        }
        assertArrayEquals(expected, AutoPgd.checkpoints(100));
    }

    static Stream<Arguments> attacksAndModels() {
        List<Supplier<Attack<DifferentiableClassifier>>> attacks = List.of(
                () -> AutoPgd.builder().eps(EPS).iterations(10).seed(1).build(),
                () -> AutoPgd.builder().norm(L2Norm.INSTANCE).eps(EPS * 4).iterations(10).restarts(2)
                        .loss(Losses.dlr()).seed(2).build(),
                () -> AutoPgd.builder().eps(EPS).iterations(5).seed(3).buildTargeted());
        // The CNN takes images [N, 1, 6, 6]; the others flat rows.
        List<Supplier<Model>> models = List.of(() -> TinyModels.mlp(1, DataType.FLOAT),
                () -> TinyModels.cnnNchw(2, DataType.FLOAT),
                () -> TinyModels.graphWithDropoutAndBatchNorm(3, DataType.FLOAT));
        return attacks.stream().flatMap(a -> Stream.of(0, 1, 2)
                .map(m -> Arguments.of(a.get(), models.get(m).get(), m == 1)));
    }

    @ParameterizedTest(name = "{0} on {1} (images: {2})")
    @MethodSource("attacksAndModels")
    void keepsThreatModelOnEveryModelShape(Attack<DifferentiableClassifier> attack, Model model, boolean images) {
        Function<DataSet, DataSet> shape = images ? TinyData::asImages : d -> d;
        TinyModels.train(model, shape.apply(TinyData.quadrants(32, 11, DataType.FLOAT)), 3);
        DataSet batch = shape.apply(TinyData.quadrants(16, 12, DataType.FLOAT));
        AttackResult result = AttackChecks.assertInvariants(attack, Classifiers.of(model), model, batch.getFeatures(),
                Criterion.untargeted(batch.getLabels()));
        double moved = java.util.Arrays.stream(result.perturbationNorms()).max().orElse(0);
        assertTrue(moved > attack.eps() / 2, attack.name() + " did not move: " + moved);
    }

    @Test
    void sameSeedSameResultAndTheAttackKeepsNoRandomState() {
        MultiLayerNetwork net = TinyModels.mlp(4, DataType.FLOAT);
        DataSet batch = TinyData.quadrants(16, 5, DataType.FLOAT);
        Criterion criterion = Criterion.untargeted(batch.getLabels());
        DifferentiableClassifier model = Classifiers.of(net);
        AttackChecks.assertDeterministic(() -> AutoPgd.builder().eps(0.1).iterations(8).restarts(2).seed(7).build(),
                model, batch.getFeatures(), criterion);
        AttackChecks.assertDeterministic(() -> AutoPgd.builder().eps(0.1).iterations(4).seed(7).buildTargeted(),
                model, batch.getFeatures(), criterion);
        AutoPgd once = AutoPgd.builder().eps(0.1).iterations(8).seed(7).build();
        assertEquals(once.generate(model, batch.getFeatures(), criterion).adversarial(),
                once.generate(model, batch.getFeatures(), criterion).adversarial(), "a second call drew other random starts");
    }

    /**
     * One gradient pass at the clean input for every example; then iterations + 1 per run for each
     * example a run attacks. Examples the model already gets wrong are not attacked (and are
     * returned as they are); a restart attacks only the examples no earlier run broke.
     */
    @Test
    void countsGradientPassesPerExample() {
        MultiLayerNetwork net = TinyModels.train(TinyModels.mlp(6, DataType.FLOAT), TinyData.quadrants(64, 6, DataType.FLOAT), 4);
        DataSet batch = TinyData.quadrants(40, 7, DataType.FLOAT);
        INDArray x = batch.getFeatures();
        Criterion criterion = Criterion.untargeted(batch.getLabels());
        boolean[] wrongAtClean = criterion.isSuccess(net.output(x, false));
        AttackResult result = AutoPgd.builder().eps(0.05).iterations(10).restarts(2).seed(8).build()
                .generate(Classifiers.of(net), x, criterion);
        long[] queries = result.queries();
        boolean[] success = result.success();
        int[] seen = new int[3];
        for (int i = 0; i < queries.length; i++) {
            if (wrongAtClean[i]) {
                assertEquals(1, queries[i], "example " + i + " was already misclassified");
                assertEquals(x.getRow(i), result.adversarial().getRow(i), "an example misclassified at the start was moved");
                seen[0]++;
            } else if (queries[i] == 1 + 11) {
                assertTrue(success[i], "example " + i + " was not attacked again, yet not broken");
                seen[1]++;
            } else {
                assertEquals(1 + 2 * 11, queries[i], "example " + i);
                seen[2]++;
            }
        }
        assertTrue(seen[0] > 0 && seen[1] > 0 && seen[2] > 0, "the batch should mix all three cases: " + java.util.Arrays.toString(seen));

        long[] targeted = AutoPgd.builder().eps(0.05).iterations(10).seed(8).buildTargeted()
                .generate(Classifiers.of(net), x, criterion).queries();
        for (int i = 0; i < targeted.length; i++) {
            long runs = (targeted[i] - 1) / 11;
            assertTrue(targeted[i] == 1 + runs * 11 && runs <= 3 && (runs == 0) == wrongAtClean[i],
                    "APGD-T spent " + targeted[i] + " passes on example " + i);
        }
    }

    @Test
    void targetedCriterionReachesTheTarget() {
        MultiLayerNetwork net = TinyModels.trainedMlp(9);
        DataSet batch = TinyData.quadrants(60, 10, DataType.FLOAT);
        Criterion criterion = Criterion.targeted(TinyData.nextClassTargets(batch.getLabels()));
        DifferentiableClassifier model = Classifiers.of(net);
        double ce = AutoPgd.builder().eps(0.3).iterations(30).seed(1).build()
                .generate(model, batch.getFeatures(), criterion).successRate();
        double dlr = AutoPgd.builder().eps(0.3).iterations(30).seed(1).buildTargeted()
                .generate(model, batch.getFeatures(), criterion).successRate();
        assertTrue(ce > 0.95 && dlr > 0.95, "targeted success: CE " + ce + ", DLR (APGD-T) " + dlr);
    }

    @Test
    void refusesInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().eps(Double.POSITIVE_INFINITY).build());
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().iterations(0).build());
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().restarts(0).build());
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().rho(0).build());
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().norm(L1Norm.INSTANCE).build());
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().norm(L1Norm.INSTANCE).buildTargeted(3));
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().momentum(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().buildTargeted(0));
        assertThrows(IllegalArgumentException.class, () -> AutoPgd.builder().loss(Losses.dlr()).buildTargeted());
    }

    @Test
    void catalogueEntriesUseTheReferenceDefaultsAndRefuseAnotherLoss() {
        AutoPgd ce = (AutoPgd) AttackCatalog.get("apgd-ce").create(AttackParams.of(0.1));
        assertEquals("apgd-ce", ce.name());
        assertEquals(100, ce.iterations());
        assertEquals(1, ce.restarts());
        AutoPgd dlr = (AutoPgd) AttackCatalog.get("apgd-dlr").create(AttackParams.of(0.5).withNorm(L2Norm.INSTANCE)
                .withSteps(20).withRestarts(3));
        assertEquals("dlr", dlr.loss().id());
        assertEquals(20, dlr.iterations());
        assertEquals(3, dlr.restarts());
        assertEquals("l2", dlr.norm().id());
        AutoPgdTargeted t = (AutoPgdTargeted) AttackCatalog.get("apgd-t").create(AttackParams.of(0.1));
        assertEquals(9, t.targetClasses());
        assertEquals(100, t.iterations());
        assertThrows(IllegalArgumentException.class,
                () -> AttackCatalog.get("apgd-ce").create(AttackParams.of(0.1).withLoss(Losses.dlr())));
        assertThrows(IllegalArgumentException.class,
                () -> AttackCatalog.get("apgd-t").create(AttackParams.of(0.1).withLoss(Losses.margin())));
    }
}
