package dev.advtrain.core.eval.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The deployment gate: the suite's bars on robust accuracy at each threat model's headline eps
 * ({@code fail_under} of a threat model holds its worst case, of an attack that attack alone), and,
 * with {@code sanity.fail_on_warning}, no sanity warning.
 */
final class Gate {

    private Gate() {
    }

    static SuiteReport.Gate of(SuiteConfig suite, List<SuiteReport.AttackOutcome> results,
            List<SuiteReport.WorstCase> worstCase, List<SuiteReport.SanityCheck> sanity) {
        List<SuiteReport.Threshold> thresholds = new ArrayList<>();
        for (SuiteConfig.Threat threat : suite.threats()) {
            if (threat.failUnder() != null) {
                double value = worstCase.stream().filter(w -> w.norm().equals(threat.norm()) && w.headline())
                        .mapToDouble(SuiteReport.WorstCase::robustAccuracy).findFirst().orElse(Double.NaN);
                thresholds.add(threshold("worst case " + where(threat), threat.failUnder(), value));
            }
            for (SuiteConfig.AttackEntry entry : threat.attacks()) {
                if (entry.failUnder() != null) {
                    double value = results.stream().filter(r -> r.norm().equals(threat.norm()) && r.eps() == threat.eps()
                            && r.attack().equals(entry.label())).mapToDouble(SuiteReport.AttackOutcome::robustAccuracy)
                            .findFirst().orElse(Double.NaN);
                    thresholds.add(threshold(entry.label() + " " + where(threat), entry.failUnder(), value));
                }
            }
        }
        int warnings = (int) sanity.stream().filter(c -> c.status() == SuiteReport.Status.WARN).count();
        boolean passed = thresholds.stream().allMatch(SuiteReport.Threshold::passed)
                && !(suite.sanity().failOnWarning() && warnings > 0);
        return new SuiteReport.Gate(passed, thresholds, warnings, suite.sanity().failOnWarning());
    }

    private static String where(SuiteConfig.Threat threat) {
        return String.format(Locale.ROOT, "%s eps %s", threat.norm(), threat.eps());
    }

    private static SuiteReport.Threshold threshold(String what, double minimum, double value) {
        return new SuiteReport.Threshold(what, minimum, value, value >= minimum);
    }
}
