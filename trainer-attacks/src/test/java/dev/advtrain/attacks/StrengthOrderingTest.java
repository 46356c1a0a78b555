package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The strength ordering across the whole catalogue on one trained model, each attack built by name
 * as users build it: FGSM <= PGD <= PGD with restarts <= APGD-T in success rate, and the black-box
 * attacks no stronger than the strongest white-box one. (Each family's own tests check the finer
 * orderings; docs/attacks.md has the same table on MNIST.)
 */
class StrengthOrderingTest {

    private static final Logger LOG = LoggerFactory.getLogger(StrengthOrderingTest.class);
    private static final double EPS = 0.1;

    private static MultiLayerNetwork net;
    private static DataSet test;

    @BeforeAll
    static void train() {
        net = TinyModels.trainedMlp(21);
        test = TinyData.quadrants(300, 22, DataType.FLOAT);
    }

    private static double success(String name, AttackParams params) {
        Attack<? super DifferentiableClassifier> attack = AttackCatalog.get(name).create(params.withSeed(3));
        return attack.generate(Classifiers.of(net), test.getFeatures(), Criterion.untargeted(test.getLabels()))
                .successRate();
    }

    @Test
    void strongerAttacksAreStronger() {
        AttackParams linf = AttackParams.of(EPS);
        Map<String, Double> rate = new LinkedHashMap<>();
        rate.put("fgsm", success("fgsm", linf));
        rate.put("pgd-20", success("pgd", linf.withSteps(20)));
        rate.put("pgd-20x4", success("pgd", linf.withSteps(20).withRestarts(4)));
        rate.put("apgd-ce", success("apgd-ce", linf.withSteps(100)));
        rate.put("apgd-t", success("apgd-t", linf.withSteps(30)));
        rate.put("square-1000", success("square", linf.withQueries(1000)));
        rate.put("hsj-1000", success("hsj", linf.withQueries(1000)));
        LOG.info("success rates at L-inf eps {}: {}", EPS, rate);

        assertTrue(rate.get("fgsm") > 0.05, "FGSM found nothing: " + rate);
        assertTrue(rate.get("fgsm") <= rate.get("pgd-20"), "PGD weaker than FGSM: " + rate);
        assertTrue(rate.get("pgd-20") <= rate.get("pgd-20x4"), "restarts weakened PGD: " + rate);
        assertTrue(rate.get("pgd-20x4") <= rate.get("apgd-t"), "APGD-T weaker than PGD with restarts: " + rate);
        // APGD-CE alone is not asserted against PGD: on this near-linear model it is within one
        // example of PGD-20 either way (0.280 vs 0.283 here), as the reference implementation is.
        assertTrue(rate.get("apgd-ce") >= rate.get("fgsm"), "APGD-CE weaker than FGSM: " + rate);
        double whiteBox = Math.max(rate.get("apgd-t"), rate.get("pgd-20x4"));
        assertTrue(rate.get("square-1000") <= whiteBox, "a score-based attack beat white-box: " + rate);
        assertTrue(rate.get("hsj-1000") <= whiteBox, "a decision-based attack beat white-box: " + rate);
        assertTrue(rate.get("square-1000") > 0.5 * rate.get("pgd-20"), "Square found too little: " + rate);
    }
}
