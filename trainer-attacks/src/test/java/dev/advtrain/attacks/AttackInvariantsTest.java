package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.model.GradientMode;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.List;
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

/**
 * The invariants every attack must keep, on every supported model type and gradient mode: results
 * inside the eps-ball and the pixel range, no NaN, inputs and the model left exactly as they were.
 */
class AttackInvariantsTest {

    private static final double EPS = 0.08;

    static Stream<Arguments> attacksAndModels() {
        List<Supplier<Attack<DifferentiableClassifier>>> attacks = List.of(
                () -> ProjectedGradientDescent.fgsm(EPS),
                () -> ProjectedGradientDescent.fgsmRandomStart(EPS, 1.25, 3),
                () -> ProjectedGradientDescent.builder().eps(EPS).steps(5).seed(4).build(),
                () -> ProjectedGradientDescent.builder().eps(EPS).steps(3).restarts(3).seed(5).build(),
                () -> ProjectedGradientDescent.builder().name("pgd-l2").norm(L2Norm.INSTANCE).eps(EPS * 4).steps(5).seed(6).build());
        List<Supplier<Model>> models = List.of(
                () -> TinyModels.mlp(1, DataType.FLOAT),
                () -> TinyModels.cnnWithDropoutAndBatchNorm(2, DataType.FLOAT),
                () -> TinyModels.graphWithDropoutAndBatchNorm(3, DataType.FLOAT));
        return attacks.stream().flatMap(a -> models.stream().flatMap(m -> Stream.of(GradientMode.values())
                .map(mode -> Arguments.of(a.get(), m.get(), mode))));
    }

    @ParameterizedTest(name = "{0} on {1} ({2})")
    @MethodSource("attacksAndModels")
    void keepsThreatModelAndLeavesModelUntouched(Attack<DifferentiableClassifier> attack, Model model, GradientMode mode) {
        DataSet data = TinyData.quadrants(32, 11, DataType.FLOAT);
        TinyModels.train(model, data, 3); // non-trivial updater state and batch-norm statistics
        DataSet batch = TinyData.quadrants(20, 12, DataType.FLOAT);
        INDArray x = batch.getFeatures();

        AttackResult result = AttackChecks.assertInvariants(attack, Classifiers.of(model, mode), model, x,
                Criterion.untargeted(batch.getLabels()));

        double[] norms = attack.norm().perExampleNorm(result.adversarial().sub(x));
        assertTrue(java.util.Arrays.stream(norms).max().orElse(0) > EPS / 2, "the attack did not move");
    }

    @Test
    void zeroEpsilonReturnsTheInput() {
        MultiLayerNetwork net = TinyModels.mlp(1, DataType.FLOAT);
        DataSet batch = TinyData.quadrants(8, 1, DataType.FLOAT);
        AttackResult result = ProjectedGradientDescent.builder().eps(0).steps(3).build()
                .generate(Classifiers.of(net), batch.getFeatures(), Criterion.untargeted(batch.getLabels()));
        assertEquals(batch.getFeatures(), result.adversarial());
    }

    @Test
    void rejectsInputsOutsideTheValidRange() {
        MultiLayerNetwork net = TinyModels.mlp(1, DataType.FLOAT);
        DataSet batch = TinyData.quadrants(8, 1, DataType.FLOAT);
        INDArray x = batch.getFeatures().add(0.5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProjectedGradientDescent.fgsm(0.1)
                .generate(Classifiers.of(net), x, Criterion.untargeted(batch.getLabels())));
        assertTrue(e.getMessage().contains("outside the attack's valid range"), e.getMessage());
    }

    @Test
    void rejectsInvalidHyperparameters() {
        assertThrows(IllegalArgumentException.class, () -> ProjectedGradientDescent.fgsm(-0.1));
        assertThrows(IllegalArgumentException.class, () -> ProjectedGradientDescent.builder().steps(0).build());
        assertThrows(IllegalArgumentException.class, () -> ProjectedGradientDescent.builder().restarts(0).build());
        assertThrows(IllegalArgumentException.class, () -> StepSize.absolute(0));
    }

    @Test
    void sameSeedGivesSameAdversarialExamples() {
        MultiLayerNetwork net = TinyModels.mlp(1, DataType.FLOAT);
        DataSet batch = TinyData.quadrants(16, 1, DataType.FLOAT);
        Criterion criterion = Criterion.untargeted(batch.getLabels());
        INDArray a = ProjectedGradientDescent.builder().eps(0.1).seed(9).build()
                .generate(Classifiers.of(net), batch.getFeatures(), criterion).adversarial();
        INDArray b = ProjectedGradientDescent.builder().eps(0.1).seed(9).build()
                .generate(Classifiers.of(net), batch.getFeatures(), criterion).adversarial();
        assertEquals(a, b);
    }
}
