package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a trained, non-robust model: BIM, MI-FGSM and the PGD variants (restarts, early stop, margin
 * loss, sparse L1 steps) are as strong as they should be.
 */
class GradientAttackStrengthTest {

    private static final Logger LOG = LoggerFactory.getLogger(GradientAttackStrengthTest.class);
    private static final double EPS = 0.1;

    private static DifferentiableClassifier model;
    private static DataSet test;
    private static Criterion untargeted;

    @BeforeAll
    static void train() {
        model = Classifiers.of(TinyModels.trainedMlp(41));
        test = TinyData.quadrants(200, 141, DataType.FLOAT);
        untargeted = Criterion.untargeted(test.getLabels());
    }

    private static AttackResult run(Attack<DifferentiableClassifier> attack) {
        return attack.generate(model, test.getFeatures(), untargeted);
    }

    private static double meanNorm(AttackResult result) {
        return Arrays.stream(result.perturbationNorms()).average().orElse(0);
    }

    @Test
    void fgsmBimPgdAndRestartsInOrderMomentumAtLeastFgsmAndMarginAsStrongAsCrossEntropy() {
        double fgsm = run(ProjectedGradientDescent.fgsm(EPS)).successRate();
        double bim = run(ProjectedGradientDescent.bim(EPS)).successRate();
        double pgd = run(ProjectedGradientDescent.builder().eps(EPS).steps(20).seed(1).build()).successRate();
        double restarts = run(ProjectedGradientDescent.builder().eps(EPS).steps(20).restarts(3).seed(1).build()).successRate();
        double mi = run(MomentumIterativeAttack.builder().eps(EPS).build()).successRate();
        double margin = run(ProjectedGradientDescent.builder().eps(EPS).steps(20).loss(Losses.margin()).seed(1).build())
                .successRate();
        String numbers = String.format("fgsm %.3f bim %.3f pgd-20 %.3f pgd-20-3-restarts %.3f mi-fgsm %.3f pgd-20-margin %.3f",
                fgsm, bim, pgd, restarts, mi, margin);
        LOG.info(numbers);
        assertTrue(fgsm > 0.1, "FGSM found almost nothing: " + numbers);
        assertTrue(fgsm <= bim && bim <= pgd && pgd <= restarts, "out of order: " + numbers);
        assertTrue(mi >= fgsm, "MI-FGSM weaker than FGSM: " + numbers);
        assertTrue(margin >= pgd - 0.02, "margin loss much weaker than cross-entropy: " + numbers);
    }

    @Test
    void earlyStopKeepsTheSuccessesWithSmallerPerturbations() {
        AttackResult full = run(ProjectedGradientDescent.bimBuilder().eps(EPS).loss(Losses.crossEntropy()).build());
        AttackResult stopped = run(ProjectedGradientDescent.bimBuilder().eps(EPS).loss(Losses.crossEntropy()).earlyStop(true).build());
        String numbers = String.format("success %.3f -> %.3f, mean L-inf %.4f -> %.4f", full.successRate(),
                stopped.successRate(), meanNorm(full), meanNorm(stopped));
        LOG.info(numbers);
        assertTrue(stopped.successRate() >= full.successRate(), numbers);
        assertTrue(meanNorm(stopped) < meanNorm(full), numbers);
        boolean[] wasSuccess = full.success();
        boolean[] isSuccess = stopped.success();
        for (int i = 0; i < wasSuccess.length; i++) {
            assertTrue(!wasSuccess[i] || isSuccess[i], "example " + i + " lost by stopping early: " + numbers);
        }
    }

    @Test
    void sparseL1PgdSucceedsWithinItsBudget() {
        AttackResult result = run(ProjectedGradientDescent.builder().norm(L1Norm.sparse(0.9)).eps(2.0).steps(10).seed(1).build());
        double maxNorm = Arrays.stream(result.perturbationNorms()).max().orElse(0);
        String numbers = String.format("success %.3f, mean L1 %.3f, max L1 %.4f", result.successRate(), meanNorm(result), maxNorm);
        LOG.info(numbers);
        assertTrue(result.successRate() > 0.4, numbers);
        assertTrue(maxNorm <= 2.0 * (1 + 1e-6), numbers);
    }

    @Test
    void targetedMomentumAndEarlyStoppedMarginPgdReachTheirTargets() {
        INDArray x = test.getFeatures().get(NDArrayIndex.interval(0, 100), NDArrayIndex.all());
        INDArray labels = test.getLabels().get(NDArrayIndex.interval(0, 100), NDArrayIndex.all());
        Criterion targeted = Criterion.targeted(TinyData.nextClassTargets(labels));
        double mi = MomentumIterativeAttack.builder().eps(0.3).build().generate(model, x, targeted).successRate();
        double pgd = ProjectedGradientDescent.builder().eps(0.3).steps(10).stepSize(StepSize.relative(0.2))
                .loss(Losses.margin()).earlyStop(true).build().generate(model, x, targeted).successRate();
        String numbers = String.format("targeted success at eps 0.3: mi-fgsm %.3f, pgd-10-margin-early-stop %.3f", mi, pgd);
        LOG.info(numbers);
        assertTrue(mi > 0.9 && pgd > 0.9, numbers);
    }
}
