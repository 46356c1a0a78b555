package dev.advtrain.core.report;

import dev.advtrain.core.eval.suite.SuiteReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-made evaluation report: 1000 MNIST-like images, clean accuracy 0.95, two L-inf attacks
 * ({@value #APGD}, {@value #SQUARE}) at eps 0.1, 0.2 and 0.3 (headline 0.3), the worst case, three
 * classes, one sanity check of each status, one defence, and a gate that fails its one threshold.
 *
 * <pre>{@code
 * SuiteReport report = SuiteReportFixture.report().robustAccuracy("square", 0.2, Double.NaN).build();
 * }</pre>
 */
final class SuiteReportFixture {

    static final String APGD = "apgd-ce";
    static final String SQUARE = "square";
    static final List<String> ATTACKS = List.of(APGD, SQUARE);
    static final double[] EPS = {0.1, 0.2, 0.3};
    static final double CLEAN = 0.95;
    static final int N = 1000;
    static final String THRESHOLD = "worst case linf eps 0.3";
    static final List<String> SANITY_IDS = List.of("iterative-vs-single-step", "black-box-vs-white-box",
            "targeted-vs-untargeted");
    static final int[][] CONFUSION = {{300, 10, 20}, {40, 250, 5}, {2, 60, 313}};

    /** Robust accuracy per attack and eps. */
    private static final Map<String, double[]> ROBUST = Map.of(APGD, new double[] {0.80, 0.55, 0.20},
            SQUARE, new double[] {0.95, 0.62, 0.31});
    private static final double[] WORST = {0.78, 0.50, 0.15};

    private String model = "models/mnist-pgd.zip";
    private boolean gatePassed;
    private final Map<String, Double> overrides = new HashMap<>();

    private SuiteReportFixture() {
    }

    static SuiteReportFixture report() {
        return new SuiteReportFixture();
    }

    SuiteReportFixture model(String model) {
        this.model = model;
        return this;
    }

    /** Replaces one attack's robust accuracy at one eps (NaN: nothing measured). */
    SuiteReportFixture robustAccuracy(String attack, double eps, double value) {
        overrides.put(attack + "@" + eps, value);
        return this;
    }

    /** A gate whose threshold is met (minimum 0.1) instead of missed (minimum 0.4). */
    SuiteReportFixture gatePassed() {
        this.gatePassed = true;
        return this;
    }

    SuiteReport build() {
        List<SuiteReport.AttackOutcome> results = new ArrayList<>();
        for (String attack : ATTACKS) {
            for (int e = 0; e < EPS.length; e++) {
                double robust = overrides.getOrDefault(attack + "@" + EPS[e], ROBUST.get(attack)[e]);
                int successes = Double.isNaN(robust) ? 0 : (int) Math.round((CLEAN - robust) * N);
                Map<String, Object> parameters = new LinkedHashMap<>();
                parameters.put("steps", 100);
                parameters.put("step_size", EPS[e] / 4);
                parameters.put("restarts", 1);
                parameters.put("seed", 1234567L + e);
                results.add(new SuiteReport.AttackOutcome(attack, "linf", EPS[e], parameters, N, (int) (CLEAN * N), robust,
                        successes, successes == 0 ? Double.NaN : EPS[e] * 0.9, attack.equals(APGD) ? 100 : 812.5,
                        12.5 + e));
            }
        }
        List<SuiteReport.WorstCase> worst = new ArrayList<>();
        for (int e = 0; e < EPS.length; e++) {
            worst.add(new SuiteReport.WorstCase("linf", EPS[e], e == EPS.length - 1, WORST[e],
                    orderedMap(APGD, (int) Math.round((CLEAN - ROBUST.get(APGD)[e]) * N), SQUARE, 20 + e)));
        }
        SuiteReport.PerClass perClass = new SuiteReport.PerClass("linf", 0.3, List.of(
                new SuiteReport.ClassOutcome(0, 330, 0.97, 0.21),
                new SuiteReport.ClassOutcome(1, 295, 0.93, 0.09),
                new SuiteReport.ClassOutcome(2, 375, 0.95, 0.15)), CONFUSION);
        List<SuiteReport.SanityCheck> checks = List.of(
                new SuiteReport.SanityCheck(SANITY_IDS.get(0), "Iterative attacks beat single-step attacks",
                        SuiteReport.Status.PASS, "apgd-ce 0.200 < fgsm 0.410", Map.of("apgd-ce", 0.2, "fgsm", 0.41)),
                new SuiteReport.SanityCheck(SANITY_IDS.get(1), "White-box attacks beat black-box attacks",
                        SuiteReport.Status.WARN, "square 0.310 vs apgd-ce 0.200 at eps 0.3", Map.of()),
                new SuiteReport.SanityCheck(SANITY_IDS.get(2), "Targeted attacks do not beat untargeted ones",
                        SuiteReport.Status.SKIPPED, "no targeted attack in the suite", Map.of()));
        List<SuiteReport.DefenceOutcome> defences = List.of(new SuiteReport.DefenceOutcome("bit-depth(3)", "bpda",
                "pgd steps=40", "linf", 0.3, N, 0.93, 0.72, 0.05, 0.06, 88.0));
        double minimum = gatePassed ? 0.1 : 0.4;
        SuiteReport.Gate gate = new SuiteReport.Gate(gatePassed,
                List.of(new SuiteReport.Threshold(THRESHOLD, minimum, WORST[2], WORST[2] >= minimum)), 1, false);
        return new SuiteReport(SuiteReport.SCHEMA, "mnist-standard", model, "mnist", N, CLEAN, 42L, 250, results,
                worst, List.of(perClass), checks, defences, gate, 754.2);
    }

    /** The report with other results, everything else the same. */
    static SuiteReport withResults(SuiteReport r, List<SuiteReport.AttackOutcome> results) {
        return new SuiteReport(r.schema(), r.suite(), r.model(), r.dataset(), r.n(), r.cleanAccuracy(), r.seed(),
                r.batchSize(), results, r.worstCase(), r.perClass(), r.sanityChecks(), r.defences(), r.gate(), r.seconds());
    }

    private static Map<String, Integer> orderedMap(String k1, int v1, String k2, int v2) {
        Map<String, Integer> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
