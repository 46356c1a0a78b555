package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** On a trained model, stronger attacks must be stronger: a silently weak attack would make every robustness number a lie. */
class AttackStrengthTest {

    private static MultiLayerNetwork net;
    private static DataSet test;

    @BeforeAll
    static void train() {
        net = TinyModels.train(TinyModels.mlp(21, DataType.FLOAT), TinyData.quadrants(400, 21, DataType.FLOAT), 80);
        test = TinyData.quadrants(300, 22, DataType.FLOAT);
    }

    private static double robustAccuracy(Attack<DifferentiableClassifier> attack) {
        AttackResult result = attack.generate(Classifiers.of(net), test.getFeatures(), Criterion.untargeted(test.getLabels()));
        return 1.0 - result.successRate();
    }

    private static double cleanAccuracy() {
        INDArray predicted = Nd4j.argMax(net.output(test.getFeatures(), false), 1);
        return predicted.eq(Nd4j.argMax(test.getLabels(), 1)).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }

    @Test
    void iterativeAtLeastAsStrongAsSingleStepAndRestartsHelp() {
        double eps = 0.1;
        double clean = cleanAccuracy();
        double fgsm = robustAccuracy(ProjectedGradientDescent.fgsm(eps));
        double pgd = robustAccuracy(ProjectedGradientDescent.builder().eps(eps).steps(20).seed(1).build());
        double pgdRestarts = robustAccuracy(ProjectedGradientDescent.builder().eps(eps).steps(20).restarts(4).seed(1).build());
        String numbers = String.format("clean %.3f fgsm %.3f pgd %.3f pgd-4-restarts %.3f", clean, fgsm, pgd, pgdRestarts);
        assertTrue(clean > 0.9, "the tiny model did not learn: " + numbers);
        assertTrue(fgsm < clean, "FGSM found nothing: " + numbers);
        assertTrue(pgd <= fgsm, "PGD weaker than FGSM: " + numbers);
        assertTrue(pgdRestarts <= pgd, "restarts made PGD weaker: " + numbers);
        assertTrue(pgd < clean - 0.2, "PGD too weak at eps 0.1 on a non-robust model: " + numbers);
    }

    @Test
    void robustAccuracyFallsWithEpsilonAndReachesZero() {
        double previous = cleanAccuracy();
        for (double eps : new double[] {0.02, 0.05, 0.1, 0.2, 0.4}) {
            double robust = robustAccuracy(ProjectedGradientDescent.builder().eps(eps).steps(20).seed(2).build());
            assertTrue(robust <= previous + 1e-9, "robust accuracy rose with eps at " + eps + ": " + robust + " > " + previous);
            previous = robust;
        }
        assertTrue(previous < 0.02, "PGD at eps 0.4 should break nearly every example, robust accuracy " + previous);
    }

    @Test
    void targetedAttackReachesItsTarget() {
        INDArray targets = Nd4j.zeros(DataType.FLOAT, test.getLabels().shape());
        long[] truth = Nd4j.argMax(test.getLabels(), 1).toLongVector();
        for (int i = 0; i < truth.length; i++) {
            targets.putScalar(i, (truth[i] + 1) % TinyModels.CLASSES, 1.0);
        }
        AttackResult result = ProjectedGradientDescent.builder().eps(0.3).steps(40).stepSize(StepSize.relative(0.1)).build()
                .generate(Classifiers.of(net), test.getFeatures(), Criterion.targeted(targets));
        assertTrue(result.successRate() > 0.95, "targeted success " + result.successRate());
    }
}
