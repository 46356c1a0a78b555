package dev.advtrain.core.eval.suite;

import static dev.advtrain.core.eval.suite.SuiteFixtures.check;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.transform.BitDepthReduction;
import dev.advtrain.attacks.transform.DefendedClassifier;
import dev.advtrain.attacks.transform.GaussianNoise;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.suite.SuiteReport.Status;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each sanity check stays quiet on a normally trained model and fires on a model built to fail it
 * (more-restarts has none: restarts keep each image's strongest run, so only a random judge can make
 * them weaker; {@link SanityVerdictsTest} covers its verdict).
 */
class SanityChecksModelTest {

    @TempDir
    static Path dir;

    static LabeledImages test;
    static MultiLayerNetwork net;

    /** Two threat-model eps, a white-box and a black-box attack, every probe on 60 images. */
    static final String SUITE = """
            data: {limit: 40}
            batch_size: 40
            threats:
              - norm: linf
                eps: %s
                epsilons: [0.1, 0.4]
                attacks:
                  - {attack: apgd-ce, steps: 10}
                  - {attack: square, queries: 200}
            sanity: {limit: 40, steps: 5}
            """;

    @BeforeAll
    static void train() throws IOException {
        test = SuiteFixtures.testImages(dir.resolve("mnist"));
        net = SuiteFixtures.trainedMlp(dir.resolve("mnist"));
    }

    private static SuiteReport evaluate(DifferentiableClassifier model) {
        return evaluate(model, 0.2);
    }

    private static SuiteReport evaluate(DifferentiableClassifier model, double eps) {
        SuiteReport report = SuiteFixtures.run(model, SuiteFixtures.suite(SUITE.formatted(eps)), test).report();
        return report;
    }

    @Test
    void aNormallyTrainedModelPassesEveryCheck() {
        SuiteReport report = evaluate(Classifiers.of(net));
        assertEquals(10, report.sanityChecks().size());
        for (SuiteReport.SanityCheck c : report.sanityChecks()) {
            assertEquals(Status.PASS, c.status(), c.id() + ": " + c.detail());
        }
        assertEquals(0, report.gate().sanityWarnings());
    }

    @Test
    void saturatedProbabilitiesAndTheirVanishingGradientsWarn() {
        SuiteReport report = evaluate(SuiteFixtures.saturated(net, 1000));
        assertEquals(Status.WARN, check(report, "saturated-outputs").status());
        assertEquals(Status.WARN, check(report, "gradients").status());
    }

    @Test
    void aNonDifferentiableInputStepWarnsThroughGradientsAndTheBlackBoxAttack() {
        SuiteReport report = evaluate(new DefendedClassifier(Classifiers.of(net), new BitDepthReduction(2), 0), 0.3);
        assertEquals(Status.WARN, check(report, "gradients").status());
        assertEquals(Status.WARN, check(report, "black-box-vs-white-box").status());
    }

    @Test
    void aRandomizedModelWarns() {
        SuiteReport report = evaluate(new DefendedClassifier(Classifiers.of(net), new GaussianNoise(0.1, 0, 1), 0));
        assertEquals(Status.WARN, check(report, "deterministic-outputs").status());
    }

    @Test
    void gradientsThatLieAwayFromTheDataMakeFgsmStrongerThanPgd() {
        SuiteReport report = evaluate(SuiteFixtures.offGridLiar(Classifiers.of(net)));
        assertEquals(Status.WARN, check(report, "iterative-vs-single-step").status());
        assertEquals(Status.WARN, check(report, "unbounded-reaches-chance").status());
    }

    @Test
    void gradientsThatLieAwayFromTheDataLeaveNoiseAsStrongAsTheAttack() {
        SuiteReport report = evaluate(SuiteFixtures.offGridLiar(Classifiers.of(net)), 0.45);
        assertEquals(Status.WARN, check(report, "noise-vs-attack").status());
    }

    @Test
    void gradientsThatLieFarFromTheDataMakeRobustAccuracyRiseWithEps() {
        SuiteReport report = evaluate(SuiteFixtures.farLiar(Classifiers.of(net), 0.15));
        assertEquals(Status.WARN, check(report, "monotone-in-eps").status());
    }

    @Test
    void gradientsThatGoStaleMakeMoreStepsWeaker() {
        SuiteReport report = evaluate(SuiteFixtures.stale(Classifiers.of(net), 5));
        assertEquals(Status.WARN, check(report, "more-steps").status());
        assertNotEquals(Status.WARN, check(report, "iterative-vs-single-step").status());
    }
}
