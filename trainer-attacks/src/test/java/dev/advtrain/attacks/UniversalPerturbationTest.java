package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One perturbation for many inputs: it fools held-out examples, beats random noise, and keeps the invariants. */
class UniversalPerturbationTest {

    private static final Logger LOG = LoggerFactory.getLogger(UniversalPerturbationTest.class);

    private static DifferentiableClassifier trained;
    private static DataSet train;
    private static DataSet heldOut;

    @BeforeAll
    static void fit() {
        trained = Classifiers.of(TinyModels.trainedMlp(51));
        train = TinyData.quadrants(400, 52, DataType.FLOAT);
        heldOut = TinyData.quadrants(200, 53, DataType.FLOAT);
    }

    /** Share of the held-out examples the model gets right clean and wrong with delta added. */
    private static double foolingRate(UniversalPerturbation uap, INDArray delta) {
        INDArray x = heldOut.getFeatures();
        INDArray truth = Nd4j.argMax(heldOut.getLabels(), 1);
        INDArray clean = Nd4j.argMax(trained.predict(x), 1).eq(truth);
        INDArray fooled = Nd4j.argMax(trained.predict(uap.apply(x, delta)), 1).neq(truth);
        return clean.castTo(DataType.DOUBLE).mul(fooled.castTo(DataType.DOUBLE)).sumNumber().doubleValue()
                / clean.castTo(DataType.DOUBLE).sumNumber().doubleValue();
    }

    static Stream<Arguments> norms() {
        return Stream.of(Arguments.of(LinfNorm.INSTANCE, 0.15), Arguments.of(L2Norm.INSTANCE, 0.9));
    }

    @ParameterizedTest(name = "{0} eps {1}")
    @MethodSource("norms")
    void oneDeltaFoolsHeldOutExamplesFarMoreThanRandomNoiseOfTheSameSize(Norm norm, double eps) {
        UniversalPerturbation uap = UniversalPerturbation.builder().norm(norm).eps(eps).epochs(5).seed(2).build();
        INDArray delta = uap.fit(trained, train.getFeatures(), train.getLabels());
        assertArrayEquals(new long[] {1, 36}, delta.shape());
        assertTrue(norm.perExampleNorm(delta)[0] <= eps + 1e-6);

        // Random noise at the same size: a corner of the L-inf ball, or a random direction of length eps.
        SplittableRandom rng = new SplittableRandom(8);
        double random = 0;
        for (int draw = 0; draw < 5; draw++) {
            double[] values = new double[36];
            for (int i = 0; i < values.length; i++) {
                values[i] = norm == LinfNorm.INSTANCE ? (rng.nextBoolean() ? eps : -eps) : rng.nextGaussian();
            }
            INDArray noise = Nd4j.create(values, new long[] {1, 36}, 'c').castTo(DataType.FLOAT);
            if (norm == L2Norm.INSTANCE) {
                noise.muli(eps / noise.norm2Number().doubleValue());
            }
            random += foolingRate(uap, noise) / 5;
        }
        double universal = foolingRate(uap, delta);
        String numbers = String.format("%s eps %.2f: universal delta fools %.3f of held-out examples, random noise %.3f",
                norm.id(), eps, universal, random);
        LOG.info(numbers);
        assertTrue(universal > 0.3, numbers);
        assertTrue(universal > random + 0.25, numbers);
    }

    @Test
    void aTargetedDeltaPullsHeldOutExamplesTowardsTheTarget() {
        INDArray allTwo = Nd4j.zeros(DataType.FLOAT, train.getLabels().shape());
        allTwo.getColumn(2).assign(1.0);
        UniversalPerturbation uap = UniversalPerturbation.builder().eps(0.15).epochs(5).seed(3).build();
        INDArray delta = uap.fit(trained, train.getFeatures(), Criterion.targeted(allTwo));
        long[] truth = Nd4j.argMax(heldOut.getLabels(), 1).toLongVector();
        long[] before = Nd4j.argMax(trained.predict(heldOut.getFeatures()), 1).toLongVector();
        long[] after = Nd4j.argMax(trained.predict(uap.apply(heldOut.getFeatures(), delta)), 1).toLongVector();
        int others = 0;
        int hitBefore = 0;
        int hitAfter = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] != 2) {
                others++;
                hitBefore += before[i] == 2 ? 1 : 0;
                hitAfter += after[i] == 2 ? 1 : 0;
            }
        }
        String numbers = String.format("targeted (class 2) L-inf 0.15: held-out non-2 examples predicted 2: %.3f before, %.3f after",
                (double) hitBefore / others, (double) hitAfter / others);
        LOG.info(numbers);
        assertTrue(hitAfter > hitBefore + 0.2 * others, numbers);
    }

    @Test
    void asAnAttackEveryExampleGetsTheDeltaFittedOnTheBatch() {
        DataSet batch = TinyData.quadrants(40, 54, DataType.FLOAT);
        Criterion criterion = Criterion.untargeted(batch.getLabels());
        INDArray delta = UniversalPerturbation.builder().eps(0.15).epochs(10).seed(4).build()
                .fit(trained, batch.getFeatures(), criterion);
        UniversalPerturbation uap = UniversalPerturbation.builder().eps(0.15).epochs(10).seed(4).build();
        AttackResult result = uap.generate(trained, batch.getFeatures(), criterion);
        assertEquals(uap.apply(batch.getFeatures(), delta), result.adversarial());
        assertTrue(result.successRate() > 0.2, "success " + result.successRate());
    }

    static Stream<Arguments> modelsAndNorms() {
        return Stream.of(Arguments.of("mlp", LinfNorm.INSTANCE, 0.1), Arguments.of("mlp", L2Norm.INSTANCE, 0.6),
                Arguments.of("cnnNchw", LinfNorm.INSTANCE, 0.1), Arguments.of("graph", L2Norm.INSTANCE, 0.6));
    }

    /** A lightly trained tiny model of each kind and a batch in the shape it takes. */
    static Object[] modelAndBatch(String kind) {
        DataSet data = TinyData.quadrants(32, 11, DataType.FLOAT);
        DataSet batch = TinyData.quadrants(20, 12, DataType.FLOAT);
        Model model = switch (kind) {
            case "mlp" -> TinyModels.mlp(1, DataType.FLOAT);
            case "cnnNchw" -> TinyModels.cnnNchw(2, DataType.FLOAT);
            default -> TinyModels.graphWithDropoutAndBatchNorm(3, DataType.FLOAT);
        };
        if (kind.equals("cnnNchw")) {
            data = TinyData.asImages(data);
            batch = TinyData.asImages(batch);
        }
        TinyModels.train(model, data, 3);
        return new Object[] {model, batch};
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("modelsAndNorms")
    void keepsTheInvariantsOnEveryModelKindAndIsDeterministic(String kind, Norm norm, double eps) {
        Object[] mb = modelAndBatch(kind);
        Model model = (Model) mb[0];
        INDArray x = ((DataSet) mb[1]).getFeatures();
        DifferentiableClassifier classifier = Classifiers.of(model);
        Criterion criterion = Criterion.untargeted(((DataSet) mb[1]).getLabels());
        java.util.function.Supplier<UniversalPerturbation> uap = () -> UniversalPerturbation.builder().norm(norm).eps(eps)
                .epochs(2).batchSize(7).stepSize(StepSize.relative(0.25)).seed(6).build();
        AttackResult result = AttackChecks.assertInvariants(uap.get(), classifier, model, x, criterion);
        assertTrue(java.util.Arrays.stream(result.perturbationNorms()).max().orElse(0) > eps / 5, "the attack did not move");
        assertEquals(result.adversarial(), uap.get().generate(classifier, x, criterion).adversarial(), "same seed, other result");
        if (x.rank() == 4) {
            assertArrayEquals(new long[] {1, 1, 6, 6}, uap.get().fit(classifier, x, criterion).shape());
        }
    }
}
