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

/**
 * APGD against PGD on the trained tiny MLP (the model of {@link AttackStrengthTest}) at equal
 * budgets of gradient passes, and on a copy that masks cross-entropy gradients by scale.
 */
class AutoPgdStrengthTest {

    private static MultiLayerNetwork net;
    private static DataSet test;
    private static Criterion criterion;

    @BeforeAll
    static void train() {
        net = TinyModels.trainedMlp(21);
        test = TinyData.quadrants(300, 22, DataType.FLOAT);
        criterion = Criterion.untargeted(test.getLabels());
    }

    private static AttackResult run(Attack<DifferentiableClassifier> attack, MultiLayerNetwork model) {
        return attack.generate(Classifiers.of(model), test.getFeatures(), criterion);
    }

    /**
     * 100 gradient passes each (APGD: 99 iterations after the pass at its start, plus one pass at the
     * clean input). On this nearly linear model CE-based attacks end within an example of one another.
     */
    @Test
    void apgdCeAtLeastAsStrongAsPgdWithTheSameGradientPasses() {
        AttackResult apgd = run(AutoPgd.builder().eps(0.1).iterations(99).seed(1).build(), net);
        AttackResult pgd = run(ProjectedGradientDescent.builder().eps(0.1).steps(100).seed(1).build(), net);
        String numbers = String.format("APGD-CE %.4f (%.0f passes), PGD-100 %.4f", apgd.successRate(), apgd.meanQueries(),
                pgd.successRate());
        assertTrue(apgd.meanQueries() <= 101, numbers);
        assertTrue(pgd.successRate() > 0.2, "PGD should break part of the batch: " + numbers);
        assertTrue(apgd.successRate() >= pgd.successRate(), numbers);
    }

    /** APGD-T over the 3 other classes, 33 passes each, against PGD with 4 restarts of 25 steps. */
    @Test
    void apgdTAtLeastAsStrongAsPgdWithRestartsAtTheSameBudget() {
        AttackResult apgdT = run(AutoPgd.builder().eps(0.1).iterations(32).seed(1).buildTargeted(), net);
        AttackResult pgd = run(ProjectedGradientDescent.builder().eps(0.1).steps(25).restarts(4).seed(1).build(), net);
        String numbers = String.format("APGD-T %.4f (%.1f passes), PGD 4x25 %.4f", apgdT.successRate(), apgdT.meanQueries(),
                pgd.successRate());
        assertTrue(apgdT.meanQueries() <= 100, numbers);
        assertTrue(apgdT.successRate() >= pgd.successRate(), numbers);
    }

    @Test
    void apgdTBreaksNearlyEverythingAtALargerBudget() {
        double apgdT = run(AutoPgd.builder().eps(0.15).iterations(32).seed(1).buildTargeted(), net).successRate();
        double pgd = run(ProjectedGradientDescent.builder().eps(0.15).steps(100).seed(1).build(), net).successRate();
        String numbers = String.format("APGD-T %.4f, PGD-100 %.4f at eps 0.15", apgdT, pgd);
        assertTrue(apgdT > 0.9 && apgdT >= pgd, numbers);
    }

    /**
     * Output layer scaled by 1000: the same decisions, but softmax saturates, so cross-entropy
     * gradients vanish in float32 and PGD on CE goes nowhere. DLR is invariant to the scale.
     */
    @Test
    void apgdDlrSeesThroughGradientMaskingByScale() {
        MultiLayerNetwork masked = net.clone();
        masked.getLayer(1).getParam("W").muli(1000);
        masked.getLayer(1).getParam("b").muli(1000);
        INDArray ceGradient = Classifiers.of(masked).lossGradient(test.getFeatures(), test.getLabels());
        double zeroRows = ceGradient.reshape(test.getFeatures().size(0), -1).norm2(1).eq(0).castTo(DataType.DOUBLE)
                .meanNumber().doubleValue();
        double pgdMasked = run(ProjectedGradientDescent.builder().eps(0.1).steps(100).seed(1).build(), masked).successRate();
        double pgdPlain = run(ProjectedGradientDescent.builder().eps(0.1).steps(100).seed(1).build(), net).successRate();
        double dlrMasked = run(AutoPgd.builder().eps(0.1).iterations(99).loss(Losses.dlr()).seed(1).build(), masked)
                .successRate();
        String numbers = String.format("CE gradient zero for %.2f of examples; PGD-CE masked %.4f, plain %.4f; APGD-DLR masked %.4f",
                zeroRows, pgdMasked, pgdPlain, dlrMasked);
        assertTrue(zeroRows > 0.9, "the scaled model should mask CE gradients: " + numbers);
        assertTrue(pgdMasked < 0.05, "PGD on CE should fail on the masked model: " + numbers);
        assertTrue(dlrMasked >= pgdPlain, "APGD-DLR should match PGD on the unmasked model: " + numbers);
    }

    @Test
    void l2ApgdAtLeastAsStrongAsL2Pgd() {
        AttackResult apgd = run(AutoPgd.builder().norm(L2Norm.INSTANCE).eps(0.6).iterations(99).seed(1).build(), net);
        AttackResult pgd = run(ProjectedGradientDescent.builder().norm(L2Norm.INSTANCE).eps(0.6).steps(100).seed(1).build(), net);
        double largest = java.util.Arrays.stream(apgd.perturbationNorms()).max().orElse(0);
        String numbers = String.format("L2 eps 0.6: APGD-CE %.4f (largest norm %.4f), PGD-100 %.4f", apgd.successRate(), largest,
                pgd.successRate());
        assertTrue(largest <= 0.6 * (1 + 1e-5), numbers);
        assertTrue(apgd.successRate() > 0.3 && apgd.successRate() >= pgd.successRate(), numbers);
    }
}
