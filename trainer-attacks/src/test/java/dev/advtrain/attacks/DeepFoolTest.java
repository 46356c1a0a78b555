package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** DeepFool under L2 and L-inf: the threat model on every model type, success, queries, untargeted only. */
class DeepFoolTest {

    private static MultiLayerNetwork trained;
    private static DataSet test;

    @BeforeAll
    static void train() {
        trained = TinyModels.trainedMlp(41);
        test = TinyData.quadrants(40, 42, DataType.FLOAT);
    }

    static Stream<Arguments> modelsNormsAndBudgets() {
        Supplier<DataSet> flat = () -> TinyData.quadrants(12, 12, DataType.FLOAT);
        return Stream.of(L2Norm.INSTANCE, LinfNorm.INSTANCE).flatMap(norm -> Stream.of(
                norm == L2Norm.INSTANCE ? 0.3 : 0.05, Double.POSITIVE_INFINITY).flatMap(eps -> Stream.of(
                Arguments.of("mlp", norm, eps, TinyModels.mlp(1, DataType.FLOAT), flat.get()),
                Arguments.of("cnnNchw", norm, eps, TinyModels.cnnNchw(2, DataType.FLOAT), TinyData.asImages(flat.get())),
                Arguments.of("graph", norm, eps, TinyModels.graphWithDropoutAndBatchNorm(3, DataType.FLOAT), flat.get()))));
    }

    @ParameterizedTest(name = "{0}, {1}, eps {2}")
    @MethodSource("modelsNormsAndBudgets")
    void keepsThreatModelAndLeavesModelUntouched(String label, Norm norm, double eps, Model model, DataSet batch) {
        TinyModels.train(model, batch, 3); // non-trivial updater state and batch-norm statistics
        DeepFool deepFool = DeepFool.builder().norm(norm).eps(eps).build();
        AttackResult result = AttackChecks.assertInvariants(deepFool, Classifiers.of(model), model,
                batch.getFeatures(), Criterion.untargeted(batch.getLabels()));
        double largest = Arrays.stream(result.perturbationNorms()).max().orElse(0);
        assertTrue(largest > 0.005, "DeepFool did not move on " + label + ": largest " + norm.id() + " " + largest);
        if (Double.isInfinite(eps)) {
            assertTrue(result.successRate() >= 0.9, "unbounded DeepFool success " + result.successRate() + " on " + label);
        }
    }

    @Test
    void unboundedBreaksNearlyEveryCorrectlyClassifiedExampleUnderBothNorms() {
        for (Norm norm : new Norm[] {L2Norm.INSTANCE, LinfNorm.INSTANCE}) {
            AttackResult result = DeepFool.builder().norm(norm).build()
                    .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(test.getLabels()));
            CarliniWagnerL2Test.assertBreaksAllButOneCorrectlyClassified(norm.id() + " DeepFool", trained, test, result);
        }
    }

    @Test
    void countsOnePassPerCandidateAndIterationForActiveExamplesOnly() {
        AttackResult result = DeepFool.builder().build()
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(test.getLabels()));
        // One forward pass to rank candidates; per step 3 rival passes; a last pass that sees the class change.
        for (long q : result.queries()) {
            assertTrue(q >= 5 && (q - 2) % 3 == 0 && q <= 2 + 3 * 50, "queries " + Arrays.toString(result.queries()));
        }
        AttackResult oneRival = DeepFool.builder().candidates(2).build()
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(test.getLabels()));
        assertTrue(oneRival.meanQueries() < result.meanQueries(), "fewer candidates, fewer passes");
        // An example already misclassified costs the ranking pass and the pass that sees it.
        INDArray wrongLabels = TinyData.nextClassTargets(test.getLabels());
        AttackResult already = DeepFool.builder().build()
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(wrongLabels));
        boolean[] correctUnderWrong = CarliniWagnerL2Test.correctlyClassified(trained, new DataSet(test.getFeatures(), wrongLabels));
        long[] queries = already.queries();
        for (int i = 0; i < queries.length; i++) {
            if (!correctUnderWrong[i]) {
                assertEquals(2, queries[i]);
                assertEquals(test.getFeatures().getRow(i), already.adversarial().getRow(i));
            }
        }
    }

    @Test
    void maxIterationsBoundsTheSteps() {
        AttackResult result = DeepFool.builder().maxIterations(1).overshoot(0).candidates(2).build()
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(test.getLabels()));
        for (long q : result.queries()) {
            assertTrue(q <= 3, "one step: ranking, one pass, final check; got " + q);
        }
    }

    @Test
    void rejectsTargetedCriteriaAndInvalidHyperparameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeepFool.builder().build()
                .generate(Classifiers.of(trained), test.getFeatures(),
                        Criterion.targeted(TinyData.nextClassTargets(test.getLabels()))));
        assertTrue(e.getMessage().contains("untargeted only"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeepFool.builder().maxIterations(0).build());
        assertThrows(IllegalArgumentException.class, () -> DeepFool.builder().candidates(1).build());
        assertThrows(IllegalArgumentException.class, () -> DeepFool.builder().overshoot(-0.1).build());
    }

    @Test
    void sameSettingsGiveTheSameResult() {
        for (Norm norm : new Norm[] {L2Norm.INSTANCE, LinfNorm.INSTANCE}) {
            AttackChecks.assertDeterministic(() -> DeepFool.builder().norm(norm).build(), Classifiers.of(trained),
                    test.getFeatures(), Criterion.untargeted(test.getLabels()));
        }
    }
}
