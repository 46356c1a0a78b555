package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Carlini-Wagner L2: the threat model on every model type, success, targets, confidence, determinism, queries. */
class CarliniWagnerL2Test {

    private static MultiLayerNetwork trained;
    private static DataSet test;
    private static AttackResult unbounded;

    @BeforeAll
    static void train() {
        trained = TinyModels.trainedMlp(41);
        test = TinyData.quadrants(40, 42, DataType.FLOAT);
        unbounded = CarliniWagnerL2.builder().binarySearchSteps(5).build()
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(test.getLabels()));
    }

    /** Few search steps and iterations: the invariants do not depend on convergence. */
    private static CarliniWagnerL2 quick(double eps) {
        return CarliniWagnerL2.builder().eps(eps).binarySearchSteps(3).maxIterations(30).build();
    }

    static Stream<Arguments> modelsAndBudgets() {
        Supplier<DataSet> flat = () -> TinyData.quadrants(12, 12, DataType.FLOAT);
        return Stream.of(0.3, Double.POSITIVE_INFINITY).flatMap(eps -> Stream.of(
                Arguments.of("mlp", eps, TinyModels.mlp(1, DataType.FLOAT), flat.get()),
                Arguments.of("cnnNchw", eps, TinyModels.cnnNchw(2, DataType.FLOAT), TinyData.asImages(flat.get())),
                Arguments.of("graph", eps, TinyModels.graphWithDropoutAndBatchNorm(3, DataType.FLOAT), flat.get())));
    }

    @ParameterizedTest(name = "{0}, eps {1}")
    @MethodSource("modelsAndBudgets")
    void keepsThreatModelAndLeavesModelUntouched(String label, double eps, Model model, DataSet batch) {
        TinyModels.train(model, batch, 3); // non-trivial updater state and batch-norm statistics
        AttackResult result = AttackChecks.assertInvariants(quick(eps), Classifiers.of(model), model,
                batch.getFeatures(), Criterion.untargeted(batch.getLabels()));
        double largest = Arrays.stream(result.perturbationNorms()).max().orElse(0);
        assertTrue(largest > 0.001, "C&W did not move on " + label + ": largest L2 " + largest);
        if (Double.isInfinite(eps)) {
            assertTrue(result.successRate() >= 0.75, "unbounded C&W success " + result.successRate() + " on " + label);
        }
    }

    @Test
    void unboundedBreaksNearlyEveryCorrectlyClassifiedExample() {
        assertBreaksAllButOneCorrectlyClassified("C&W", trained, test, unbounded);
    }

    @Test
    void examplesNeverBrokenAreReturnedUnchanged() {
        // c far too small and one short search step: nothing can be broken.
        CarliniWagnerL2 timid = CarliniWagnerL2.builder().binarySearchSteps(1).maxIterations(3).initialConst(1e-6).build();
        AttackResult result = timid.generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(test.getLabels()));
        assertEquals(0.0, result.successRate());
        assertEquals(test.getFeatures(), result.adversarial());
    }

    @Test
    void examplesThatAlreadyMeetTheCriterionAreReturnedExactly() {
        INDArray wrongLabels = TinyData.nextClassTargets(test.getLabels());
        AttackResult result = quick(Double.POSITIVE_INFINITY)
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(wrongLabels));
        boolean[] correctUnderWrong = correctlyClassified(trained, new DataSet(test.getFeatures(), wrongLabels));
        for (int i = 0; i < correctUnderWrong.length; i++) {
            if (!correctUnderWrong[i]) {
                assertEquals(test.getFeatures().getRow(i), result.adversarial().getRow(i), "example " + i);
            }
        }
    }

    @Test
    void targetedReachesItsTarget() {
        INDArray targets = TinyData.nextClassTargets(test.getLabels());
        AttackResult result = CarliniWagnerL2.builder().binarySearchSteps(5).build()
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.targeted(targets));
        assertTrue(result.successRate() >= 0.95, "targeted C&W success " + result.successRate());
    }

    @Test
    void confidenceLeavesAtLeastKappaOfLogitMargin() {
        double kappa = 2.0;
        Criterion criterion = Criterion.untargeted(test.getLabels());
        AttackResult result = CarliniWagnerL2.builder().binarySearchSteps(5).confidence(kappa).build()
                .generate(Classifiers.of(trained), test.getFeatures(), criterion);
        // For a softmax model, differences of log-probabilities are differences of logits.
        double[][] logProbabilities = Transforms.log(result.predictions(), true).toDoubleMatrix();
        int[] truth = Nd4j.argMax(test.getLabels(), 1).toIntVector();
        boolean[] success = result.success();
        for (int i = 0; i < truth.length; i++) {
            if (success[i]) {
                double own = logProbabilities[i][truth[i]];
                double rival = Arrays.stream(logProbabilities[i]).max().orElseThrow();
                assertTrue(rival - own >= kappa - 1e-3, "example " + i + ": margin " + (rival - own) + " below kappa");
            }
        }
        assertTrue(result.successRate() >= 0.9, "C&W with kappa 2 success " + result.successRate());
        assertTrue(median(result.perturbationNorms()) > median(unbounded.perturbationNorms()),
                "a confident attack should need larger perturbations");
    }

    @Test
    void sameSettingsGiveTheSameResult() {
        AttackChecks.assertDeterministic(() -> quick(Double.POSITIVE_INFINITY), Classifiers.of(trained),
                test.getFeatures(), Criterion.untargeted(test.getLabels()));
    }

    @Test
    void countsOneGradientPassPerIterationAndExamplePlusOneAtTheInput() {
        AttackResult result = CarliniWagnerL2.builder().binarySearchSteps(2).maxIterations(7).abortEarly(false).build()
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(test.getLabels()));
        long[] expected = new long[(int) test.getFeatures().size(0)];
        Arrays.fill(expected, 1 + 2 * 7);
        assertArrayEquals(expected, result.queries());
        AttackResult early = CarliniWagnerL2.builder().binarySearchSteps(2).maxIterations(100).build()
                .generate(Classifiers.of(trained), test.getFeatures(), Criterion.untargeted(test.getLabels()));
        assertTrue(early.meanQueries() > 10 && early.meanQueries() <= 201, "queries with early abort " + early.meanQueries());
    }

    @Test
    void rejectsInvalidHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> CarliniWagnerL2.builder().binarySearchSteps(0).build());
        assertThrows(IllegalArgumentException.class, () -> CarliniWagnerL2.builder().maxIterations(0).build());
        assertThrows(IllegalArgumentException.class, () -> CarliniWagnerL2.builder().initialConst(0).build());
        assertThrows(IllegalArgumentException.class, () -> CarliniWagnerL2.builder().learningRate(-1).build());
        assertThrows(IllegalArgumentException.class, () -> CarliniWagnerL2.builder().confidence(-1).build());
        assertThrows(IllegalArgumentException.class, () -> CarliniWagnerL2.builder().norm(LinfNorm.INSTANCE).build());
        assertEquals("cw", CarliniWagnerL2.builder().build().name());
    }

    /** The model gets at least 36 of the 40 test examples right, and the attack breaks all of those but one. */
    static void assertBreaksAllButOneCorrectlyClassified(String attack, MultiLayerNetwork net, DataSet data,
            AttackResult result) {
        boolean[] correct = correctlyClassified(net, data);
        boolean[] success = result.success();
        int broken = 0;
        int total = 0;
        for (int i = 0; i < correct.length; i++) {
            total += correct[i] ? 1 : 0;
            broken += correct[i] && success[i] ? 1 : 0;
        }
        assertTrue(total >= 36 && broken >= total - 1, attack + " broke " + broken + " of " + total + " correctly classified");
    }

    /** Per example: does {@code net} predict the example's label? */
    static boolean[] correctlyClassified(MultiLayerNetwork net, DataSet data) {
        return Criterion.targeted(data.getLabels()).isSuccess(net.output(data.getFeatures(), false));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }
}
