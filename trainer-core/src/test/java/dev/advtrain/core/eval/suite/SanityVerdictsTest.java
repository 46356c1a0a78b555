package dev.advtrain.core.eval.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.eval.suite.SuiteReport.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdicts of the sanity checks as functions of their numbers: where each turns from pass to warn. */
class SanityVerdictsTest {

    @Test
    void orderingsAllowTheSlackAndNoMore() {
        assertEquals(Status.PASS, SanityChecks.notAbove("more-restarts", "t", "strong", 0.52, "weak", 0.50, 0.025, 200).status());
        assertEquals(Status.WARN, SanityChecks.notAbove("more-restarts", "t", "strong", 0.53, "weak", 0.50, 0.025, 200).status());
        SuiteReport.SanityCheck check = SanityChecks.notAbove("more-steps", "t", "PGD-40", 0.9, "PGD-10", 0.8, 0.02, 100);
        assertTrue(check.detail().contains("PGD-40 0.900 > PGD-10 0.800"), check.detail());
        assertEquals(0.9, check.values().get("robust_strong"));
    }

    @Test
    void anUnboundedAttackMustReachChance() {
        assertEquals(Status.PASS, SanityChecks.chance("linf", 1.0, 0.1, 0.1, 100).status());
        assertEquals(Status.WARN, SanityChecks.chance("linf", 1.0, 0.11, 0.1, 100).status());
    }

    @Test
    void noiseWarnsWhenItBreaksHalfOfWhatTheAttackBreaks() {
        assertEquals(Status.PASS, SanityChecks.noise("linf eps 0.1", 0.04, 0.10, 200).status());
        assertEquals(Status.WARN, SanityChecks.noise("linf eps 0.1", 0.06, 0.10, 200).status());
        assertEquals(Status.WARN, SanityChecks.noise("linf eps 0.1", 0.02, 0.0, 200).status(), "noise breaks, the attack does not");
        assertEquals(Status.PASS, SanityChecks.noise("linf eps 0.1", 0.0, 0.0, 200).status(), "nothing breaks at all");
    }

    @Test
    void gradientsWarnOnAnyNanAndOnManyZeros() {
        assertEquals(Status.PASS, SanityChecks.gradients(10, 0, 200).status());
        assertEquals(Status.WARN, SanityChecks.gradients(11, 0, 200).status());
        assertEquals(Status.WARN, SanityChecks.gradients(0, 1, 200).status());
    }

    @Test
    void saturationAndRandomnessHaveTheirThresholds() {
        assertEquals(Status.PASS, SanityChecks.saturation(100, 200).status());
        assertEquals(Status.WARN, SanityChecks.saturation(101, 200).status());
        assertEquals(Status.PASS, SanityChecks.determinism(0.0, 10).status());
        assertEquals(Status.WARN, SanityChecks.determinism(1e-4, 10).status());
    }

    @Test
    void robustAccuracyRisingWithEpsWarnsForAnAttackOrTheWorstCase() {
        SuiteConfig.Threat threat = new SuiteConfig.Threat("linf", 0.1, List.of(0.05, 0.2), null,
                List.of(SuiteConfig.AttackEntry.named("pgd")));
        List<SuiteReport.WorstCase> falling = List.of(worst(0.05, 0.9), worst(0.1, 0.8), worst(0.2, 0.5));
        assertEquals(Status.PASS, SanityChecks.monotone(threat, List.of(result(0.05, 0.9), result(0.1, 0.8), result(0.2, 0.5)),
                falling, 0.01).status());
        SuiteReport.SanityCheck rising = SanityChecks.monotone(threat,
                List.of(result(0.05, 0.9), result(0.1, 0.8), result(0.2, 0.85)), falling, 0.01);
        assertEquals(Status.WARN, rising.status());
        assertTrue(rising.detail().contains("pgd: 0.800 at eps 0.1000, 0.850 at eps 0.2000"), rising.detail());
        assertEquals(Status.WARN, SanityChecks.monotone(threat, List.of(),
                List.of(worst(0.05, 0.5), worst(0.1, 0.6), worst(0.2, 0.4)), 0.01).status());
        SuiteConfig.Threat single = new SuiteConfig.Threat("linf", 0.1, List.of(), null, threat.attacks());
        assertEquals(Status.SKIPPED, SanityChecks.monotone(single, List.of(), List.of(), 0.01).status());
    }

    @Test
    void noiseLiesOnTheSphereOfItsNormInsideThePixelRange() {
        var x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 3, 50).muli(0.5).addi(0.25);
        var rng = new java.util.SplittableRandom(1);
        var linf = SanityChecks.onSphere(x, "linf", 0.1, rng).sub(x);
        assertEquals(0.1, linf.amaxNumber().doubleValue(), 1e-9);
        assertEquals(0.1, linf.amin(1).minNumber().doubleValue(), 1e-9, "every pixel moves by eps");
        var l2 = SanityChecks.onSphere(x, "l2", 0.2, rng).sub(x);
        assertEquals(0.2, l2.norm2(1).maxNumber().doubleValue(), 1e-9);
        assertEquals(0.2, l2.norm2(1).minNumber().doubleValue(), 1e-9);
    }

    private static SuiteReport.AttackOutcome result(double eps, double robust) {
        return new SuiteReport.AttackOutcome("pgd", "linf", eps, Map.of(), 100, 100, robust, 0, Double.NaN, 0, 0);
    }

    private static SuiteReport.WorstCase worst(double eps, double robust) {
        return new SuiteReport.WorstCase("linf", eps, eps == 0.1, robust, Map.of());
    }
}
