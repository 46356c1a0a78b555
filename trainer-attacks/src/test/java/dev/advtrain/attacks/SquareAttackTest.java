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

/** Square Attack: threat model and query budget kept, queries counted exactly, strength bounded by white-box PGD. */
class SquareAttackTest {

    private static final Logger LOG = LoggerFactory.getLogger(SquareAttackTest.class);

    private static MultiLayerNetwork trained;
    private static DataSet test;

    @BeforeAll
    static void train() {
        trained = TinyModels.trainedMlp(41);
        test = TinyData.quadrants(120, 42, DataType.FLOAT);
    }

    static Stream<Arguments> modelsAndNorms() {
        return ModelKind.all().stream().flatMap(kind -> Stream.of(LinfNorm.INSTANCE, L2Norm.INSTANCE)
                .flatMap(norm -> Stream.of(false, true).map(targeted -> Arguments.of(kind, norm, targeted))));
    }

    @ParameterizedTest(name = "{1} targeted={2} on {0}")
    @MethodSource("modelsAndNorms")
    void keepsThreatModelAndBudget(ModelKind kind, Norm norm, boolean targeted) {
        Model model = kind.trained(3);
        DataSet batch = kind.data(TinyData.quadrants(16, 12, DataType.FLOAT));
        double eps = norm == LinfNorm.INSTANCE ? 0.1 : 0.5;
        int budget = 40;
        SquareAttack attack = SquareAttack.builder().norm(norm).eps(eps).queries(budget).seed(7).build();
        Criterion criterion = targeted ? Criterion.targeted(TinyData.nextClassTargets(batch.getLabels()))
                : Criterion.untargeted(batch.getLabels());
        AttackResult result = AttackChecks.assertInvariants(attack, Classifiers.of(model), model, batch.getFeatures(),
                criterion);
        for (long q : result.queries()) {
            assertTrue(q >= 1 && q <= budget, "queries per example " + Arrays.toString(result.queries()));
        }
        double[] norms = result.perturbationNorms();
        assertTrue(Arrays.stream(norms).max().orElse(0) > eps / 2, "the attack did not move: " + Arrays.toString(norms));
    }

    @Test
    void countsEveryQueryAndStopsOnceSuccessful() {
        // Half the examples are labelled with a class the model does not predict: an untargeted
        // criterion is met at once, so they must cost exactly the initial query.
        DataSet batch = TinyData.quadrants(20, 43, DataType.FLOAT);
        INDArray labels = batch.getLabels().dup();
        INDArray predicted = trained.output(batch.getFeatures(), false);
        for (int i = 0; i < 10; i++) {
            long wrong = (Nd4j.argMax(predicted.getRow(i), 0).getLong(0) + 1) % TinyModels.CLASSES;
            labels.putRow(i, Nd4j.zeros(DataType.FLOAT, TinyModels.CLASSES).putScalar(wrong, 1.0));
        }
        CountingClassifier counting = new CountingClassifier(Classifiers.of(trained));
        int budget = 200;
        AttackResult result = SquareAttack.builder().eps(0.03).queries(budget).seed(3).build()
                .generate(counting, batch.getFeatures(), Criterion.untargeted(labels));
        List<double[]> queried = List.copyOf(counting.queried()); // before the result's own (lazy) prediction
        long[] queries = result.queries();
        assertEquals(queried.size(), Arrays.stream(queries).sum(), "reported queries differ from rows predicted");
        for (int i = 0; i < 10; i++) {
            assertEquals(1, queries[i], "an example met at the start kept spending queries: " + Arrays.toString(queries));
        }
        boolean[] success = result.success();
        double[][] clean = batch.getFeatures().toDoubleMatrix();
        double[][] adversarial = result.adversarial().toDoubleMatrix();
        int[] asked = new int[20];
        double[][] lastAsked = new double[20][];
        for (double[] row : queried) {
            int owner = nearest(row, clean); // every query lies within eps 0.03 of its own example
            asked[owner]++;
            lastAsked[owner] = row;
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(queries[i], asked[i], "queries of example " + i + " miscounted");
        }
        for (int i = 10; i < 20; i++) {
            assertTrue(queries[i] > 1 && queries[i] <= budget, Arrays.toString(queries));
            assertTrue(success[i] || queries[i] == budget, "stopped early without success: " + Arrays.toString(queries));
            if (success[i]) {
                assertArrayEquals(adversarial[i], lastAsked[i], 1e-6, "example " + i + " was queried after it succeeded");
            }
        }
    }

    private static int nearest(double[] row, double[][] examples) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < examples.length; i++) {
            double distance = 0;
            for (int j = 0; j < row.length; j++) {
                distance = Math.max(distance, Math.abs(row[j] - examples[i][j]));
            }
            if (distance < bestDistance) {
                best = i;
                bestDistance = distance;
            }
        }
        return best;
    }

    @Test
    void substantialSuccessButNoStrongerThanWhiteBoxPgd() {
        double eps = 0.1;
        Criterion criterion = Criterion.untargeted(test.getLabels());
        AttackResult square = SquareAttack.builder().eps(eps).queries(1000).seed(1).build()
                .generate(Classifiers.of(trained), test.getFeatures(), criterion);
        AttackResult pgd = ProjectedGradientDescent.builder().eps(eps).steps(20).seed(1).build()
                .generate(Classifiers.of(trained), test.getFeatures(), criterion);
        AttackResult squareL2 = SquareAttack.builder().norm(L2Norm.INSTANCE).eps(0.6).queries(1000).seed(1).build()
                .generate(Classifiers.of(trained), test.getFeatures(), criterion);
        AttackResult pgdL2 = ProjectedGradientDescent.builder().norm(L2Norm.INSTANCE).eps(0.6).steps(20).seed(1).build()
                .generate(Classifiers.of(trained), test.getFeatures(), criterion);
        String numbers = String.format("linf eps %.2f: square %.3f (mean queries %.0f) pgd-20 %.3f; "
                + "l2 eps 0.6: square %.3f (mean queries %.0f) pgd-20 %.3f", eps, square.successRate(),
                square.meanQueries(), pgd.successRate(), squareL2.successRate(), squareL2.meanQueries(),
                pgdL2.successRate());
        LOG.info("success rates on trainedMlp(41), 120 examples: {}", numbers);
        assertTrue(square.successRate() > 0.15 && square.successRate() >= 0.75 * pgd.successRate(),
                "Square too weak: " + numbers);
        assertTrue(square.successRate() <= pgd.successRate(), "black box stronger than white box: " + numbers);
        assertTrue(squareL2.successRate() > 0.15, "L2 Square too weak: " + numbers);
        assertTrue(squareL2.successRate() <= pgdL2.successRate(), "black box stronger than white box: " + numbers);
    }

    @Test
    void targetedReachesTheTarget() {
        DataSet batch = TinyData.quadrants(40, 44, DataType.FLOAT);
        AttackResult result = SquareAttack.builder().eps(0.3).queries(300).seed(2).build()
                .generate(Classifiers.of(trained), batch.getFeatures(),
                        Criterion.targeted(TinyData.nextClassTargets(batch.getLabels())));
        LOG.info("targeted Square, eps 0.3, 300 queries: success {}", result.successRate());
        assertTrue(result.successRate() > 0.8, "targeted success " + result.successRate());
    }

    @Test
    void sameSeedSameExamples() {
        DataSet batch = TinyData.quadrants(12, 45, DataType.FLOAT);
        for (Norm norm : List.of(LinfNorm.INSTANCE, L2Norm.INSTANCE)) {
            AttackChecks.assertDeterministic(() -> SquareAttack.builder().norm(norm).eps(0.3).queries(50).seed(4).build(),
                    Classifiers.of(trained), batch.getFeatures(), Criterion.untargeted(batch.getLabels()));
        }
    }

    @Test
    void flatInputsNeedSquareImagesOrAnExplicitShape() {
        Classifier wide = new Classifier() { // a black box on 8 inputs: class 0 when their sum exceeds 4
            @Override
            public INDArray predict(INDArray x) {
                double[] sums = x.sum(1).toDoubleVector();
                double[][] p = new double[sums.length][];
                for (int i = 0; i < sums.length; i++) {
                    double p0 = 1 / (1 + Math.exp(4 - sums[i]));
                    p[i] = new double[] {p0, 1 - p0};
                }
                return Nd4j.create(p).castTo(DataType.FLOAT);
            }

            @Override
            public int numClasses() {
                return 2;
            }
        };
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 8); // 8 values: neither S*S nor 3*S*S
        Criterion criterion = Criterion.untargeted(Nd4j.create(new float[][] {{0, 1}, {0, 1}, {0, 1}}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SquareAttack.builder().eps(0.1).queries(5).build().generate(wide, x, criterion));
        assertTrue(e.getMessage().contains("imageShape"), e.getMessage());
        AttackResult shaped = SquareAttack.builder().eps(0.1).queries(5).imageShape(2, 2, 2).build()
                .generate(wide, x, criterion);
        assertTrue(Arrays.stream(shaped.queries()).allMatch(q -> q <= 5));
        assertThrows(IllegalArgumentException.class, () -> SquareAttack.builder().queries(0).build());
        assertThrows(IllegalArgumentException.class, () -> SquareAttack.builder().pInit(0).build());
        assertThrows(IllegalArgumentException.class, () -> SquareAttack.builder().eps(Double.POSITIVE_INFINITY).build());
    }
}
