package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.CountingClassifier;
import dev.advtrain.attacks.testing.ModelKind;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.Arrays;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HopSkipJump: labels only, budget kept and counted exactly, perturbations shrinking with the budget. */
class HopSkipJumpTest {

    private static final Logger LOG = LoggerFactory.getLogger(HopSkipJumpTest.class);

    private static MultiLayerNetwork trained;
    private static DataSet test;

    @BeforeAll
    static void train() {
        trained = TinyModels.trainedMlp(51);
        test = TinyData.quadrants(40, 52, DataType.FLOAT);
    }

    static Stream<Arguments> modelsAndNorms() {
        return ModelKind.all().stream().flatMap(kind -> Stream.of(LinfNorm.INSTANCE, L2Norm.INSTANCE)
                .flatMap(norm -> Stream.of(false, true).map(targeted -> Arguments.of(kind, norm, targeted))));
    }

    @ParameterizedTest(name = "{1} targeted={2} on {0}")
    @MethodSource("modelsAndNorms")
    void keepsThreatModelAndBudget(ModelKind kind, Norm norm, boolean targeted) {
        Model model = kind.trained(10);
        DataSet batch = kind.data(TinyData.quadrants(16, 12, DataType.FLOAT));
        double eps = norm == LinfNorm.INSTANCE ? 0.1 : 0.5;
        int budget = 80;
        HopSkipJump attack = HopSkipJump.builder().norm(norm).eps(eps).queries(budget).initEvals(20).seed(7).build();
        Criterion criterion = targeted ? Criterion.targeted(TinyData.nextClassTargets(batch.getLabels()))
                : Criterion.untargeted(batch.getLabels());
        AttackResult result = AttackChecks.assertInvariants(attack, Classifiers.of(model), model, batch.getFeatures(),
                criterion);
        for (long q : result.queries()) {
            assertTrue(q >= 1 && q <= budget, "queries per example " + Arrays.toString(result.queries()));
        }
    }

    @Test
    void countsEveryQueryAndLeavesMetExamplesAlone() {
        // The first 10 examples are labelled with a class the model does not predict: the untargeted
        // criterion is met at the input, which must cost one query and come back unchanged.
        DataSet batch = TinyData.quadrants(20, 53, DataType.FLOAT);
        INDArray labels = batch.getLabels().dup();
        long[] predicted = Nd4j.argMax(trained.output(batch.getFeatures(), false), 1).toLongVector();
        for (int i = 0; i < 10; i++) {
            labels.putRow(i, Nd4j.zeros(DataType.FLOAT, TinyModels.CLASSES).putScalar((predicted[i] + 1) % 4, 1.0));
        }
        CountingClassifier counting = new CountingClassifier(Classifiers.of(trained));
        int budget = 300;
        AttackResult result = HopSkipJump.builder().queries(budget).seed(3).build()
                .generate(counting, batch.getFeatures(), Criterion.untargeted(labels));
        long[] queries = result.queries();
        assertEquals(counting.rows(), Arrays.stream(queries).sum(), "reported queries differ from rows predicted");
        double[] norms = result.perturbationNorms();
        for (int i = 0; i < 10; i++) {
            assertEquals(1, queries[i], "a met example kept spending queries: " + Arrays.toString(queries));
            assertEquals(0.0, norms[i], "a met example was moved");
        }
        for (int i = 10; i < 20; i++) {
            // Unbounded (eps +Infinity), the others search until their budget is spent.
            assertTrue(queries[i] > budget - 20 && queries[i] <= budget, Arrays.toString(queries));
        }
        boolean[] success = result.success();
        for (boolean s : success) {
            assertTrue(s, "unbounded HopSkipJump must end on the adversarial side: " + Arrays.toString(success));
        }
    }

    @Test
    void perturbationShrinksAsTheBudgetGrows() {
        Criterion criterion = Criterion.untargeted(test.getLabels());
        StringBuilder numbers = new StringBuilder();
        for (Norm norm : List.of(L2Norm.INSTANCE, LinfNorm.INSTANCE)) {
            double previous = Double.POSITIVE_INFINITY;
            for (int budget : new int[] {100, 400, 1500}) {
                AttackResult result = HopSkipJump.builder().norm(norm).queries(budget).seed(5).build()
                        .generate(Classifiers.of(trained), test.getFeatures(), criterion);
                double median = median(result.perturbationNorms());
                numbers.append(String.format("%s budget %d: median %.4f success %.3f; ", norm.id(), budget, median,
                        result.successRate()));
                assertEquals(1.0, result.successRate(), "unbounded HopSkipJump must succeed: " + numbers);
                assertTrue(median < previous * 0.95, "the perturbation did not shrink with the budget: " + numbers);
                previous = median;
            }
        }
        AttackResult pgd = ProjectedGradientDescent.builder().norm(L2Norm.INSTANCE).eps(1.0).steps(20).seed(5).build()
                .generate(Classifiers.of(trained), test.getFeatures(), criterion);
        LOG.info("HopSkipJump on trainedMlp(51), 40 examples: {}(white-box PGD-20 at L2 eps 1.0: success {})", numbers,
                pgd.successRate());
    }

    @Test
    void targetedStartsFromBatchExamplesOfTheTarget() {
        Criterion criterion = Criterion.targeted(TinyData.nextClassTargets(test.getLabels()));
        AttackResult result = HopSkipJump.builder().queries(600).seed(6).build()
                .generate(Classifiers.of(trained), test.getFeatures(), criterion);
        LOG.info("targeted HopSkipJump, 600 queries: success {}, median L2 {}", result.successRate(),
                median(result.perturbationNorms()));
        assertEquals(1.0, result.successRate(), "targeted HopSkipJump missed its target");
        // Bounded at eps: each example stops once within eps and its result then meets the target.
        AttackResult bounded = HopSkipJump.builder().queries(600).eps(3.0).seed(6).build()
                .generate(Classifiers.of(trained), test.getFeatures(), criterion);
        assertTrue(bounded.meanQueries() < result.meanQueries(), "examples within eps kept spending queries");
        assertArrayEquals(result.success(), bounded.success());
    }

    @Test
    void aTargetNothingReachesLeavesTheExamplesUnchanged() {
        // A model that never predicts class 3: no batch example and no noise draw can start a
        // targeted run toward it, so each example costs its clean query plus the noise draws.
        Classifier neverThree = new Classifier() {
            @Override
            public INDArray predict(INDArray x) {
                INDArray p = trained.output(x, false);
                p.putColumn(3, Nd4j.zeros(DataType.FLOAT, x.size(0), 1));
                return p;
            }

            @Override
            public int numClasses() {
                return TinyModels.CLASSES;
            }
        };
        DataSet batch = TinyData.quadrants(8, 55, DataType.FLOAT);
        INDArray targets = Nd4j.zeros(DataType.FLOAT, 8, TinyModels.CLASSES);
        targets.putColumn(3, Nd4j.ones(DataType.FLOAT, 8, 1));
        AttackResult result = HopSkipJump.builder().queries(100).initTrials(5).build()
                .generate(neverThree, batch.getFeatures(), Criterion.targeted(targets));
        assertEquals(batch.getFeatures(), result.adversarial());
        assertTrue(Arrays.stream(result.queries()).allMatch(q -> q == 6), Arrays.toString(result.queries()));
        assertEquals(0.0, result.successRate());
    }

    @Test
    void sameSeedSameExamples() {
        DataSet batch = TinyData.quadrants(10, 54, DataType.FLOAT);
        for (Norm norm : List.of(LinfNorm.INSTANCE, L2Norm.INSTANCE)) {
            AttackChecks.assertDeterministic(() -> HopSkipJump.builder().norm(norm).queries(150).seed(4).build(),
                    Classifiers.of(trained), batch.getFeatures(), Criterion.untargeted(batch.getLabels()));
        }
    }

    @Test
    void rejectsInvalidParameters() {
        assertThrows(IllegalArgumentException.class, () -> HopSkipJump.builder().queries(0).build());
        assertThrows(IllegalArgumentException.class, () -> HopSkipJump.builder().initEvals(200).maxEvals(100).build());
        assertThrows(IllegalArgumentException.class, () -> HopSkipJump.builder().gamma(0).build());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
