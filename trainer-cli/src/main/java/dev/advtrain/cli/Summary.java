package dev.advtrain.cli;

import dev.advtrain.core.config.CollapseAction;
import dev.advtrain.core.eval.AttackSummary;
import dev.advtrain.core.eval.RobustnessReport;
import dev.advtrain.core.eval.suite.SuiteReport;
import dev.advtrain.core.run.TrainingRun;
import dev.advtrain.core.sweep.CandidateResult;
import dev.advtrain.core.sweep.Sweep;
import dev.advtrain.core.train.guard.CollapseGuard;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tables printed at the end of {@code train}, {@code evaluate} and {@code attack}. */
final class Summary {

    private Summary() {
    }

    static void printTraining(PrintWriter out, TrainingRun.Result result, double wallSeconds) {
        out.println();
        out.printf("Run %s%n", result.directory().root());
        out.printf("  %-6s %-10s %-10s %-10s %-14s%n", "epoch", "loss", "adv acc", "val clean", "val robust");
        for (var row : result.history()) {
            out.printf("  %-6.0f %-10s %-10s %-10s %-14s%n", row.get("epoch"), metric(row, "train_loss"),
                    metric(row, "adv_acc"), metric(row, "val_clean_acc"), metric(row, "val_robust_acc"));
        }
        for (CollapseGuard.Event e : result.collapses()) {
            out.printf("  catastrophic overfitting at epoch %d, iteration %d: robust %.4f (best %.4f); %s%n", e.epoch(),
                    e.iteration(), e.robustAccuracy(), e.best(), e.action() == CollapseAction.STOP ? "stopped"
                            : "rolled back" + (e.action() == CollapseAction.LOWER_STEP
                                    ? String.format(", step x%.3f", e.stepScale()) : ""));
        }
        if (result.stopReason() != null) {
            out.printf("  stopped early: %s%n", result.stopReason());
        }
        if (result.bestEpoch() > 0) {
            out.printf("  best validation robust accuracy: epoch %d, saved as %s%n", result.bestEpoch(),
                    result.directory().bestModel());
        }
        printReport(out, result.report());
        out.printf("Time: training %.0f s, evaluation %.0f s, total %.0f s%n", result.trainingSeconds(),
                result.evaluationSeconds(), wallSeconds);
        out.flush();
    }

    static void printSweep(PrintWriter out, Sweep.Outcome outcome) {
        List<CandidateResult> ranked = outcome.ranked();
        long finished = ranked.stream().filter(r -> r.status() == CandidateResult.Status.FINISHED).count();
        out.println();
        out.printf(Locale.ROOT, "Sweep %s: %d candidates, %d finished, %d failed (%.0f s)%n", outcome.directory(),
                ranked.size(), finished, ranked.size() - finished, outcome.seconds());
        out.printf(Locale.ROOT, "  %-4s %-9s %-7s %-9s %-10s %-10s %-11s %s%n", "rank", "candidate", "score", "val clean",
                "val robust", "test clean", "test robust", "values");
        for (int i = 0; i < ranked.size(); i++) {
            CandidateResult r = ranked.get(i);
            String mark = outcome.paretoFront().contains(r) ? "*" : r.feasible() ? "" : "<";
            if (r.status() == CandidateResult.Status.FINISHED) {
                out.printf(Locale.ROOT, "  %-4s %-9d %-7.4f %-9.4f %-10.4f %-10.4f %-11s %s%n", (i + 1) + mark, r.candidate(),
                        r.score(), r.valCleanAcc(), r.valRobustAcc(), r.testCleanAcc(),
                        r.testRobustAcc() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.testRobustAcc()),
                        r.valuesText());
            } else {
                out.printf(Locale.ROOT, "  %-4s %-9d failed: %s%n", "-", r.candidate(), r.reason());
            }
        }
        out.println("  (* on the Pareto front of clean and robust validation accuracy; < below objective.min_clean)");
        outcome.best().ifPresentOrElse(
                b -> out.printf("Best: candidate %d; train it again with: advtrain train --config %s%n", b.candidate(),
                        outcome.bestConfig()),
                () -> out.println("No finished candidate meets objective.min_clean; no best-config.yaml"));
        out.printf("Table %s, chart %s%n", outcome.table(), outcome.chart());
        out.flush();
    }

    /** A metric to 4 decimals, {@code -} where the run has none (no validation; adv acc on Spark). */
    private static String metric(Map<String, Double> row, String key) {
        Double value = row.get(key);
        return value == null || value.isNaN() ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }

    static void printReport(PrintWriter out, RobustnessReport report) {
        out.println();
        out.printf("  %-44s %8s %10s%n", "evaluation (" + report.dataset() + " test)", "images", "accuracy");
        out.printf("  %-44s %8d %10.4f%n", "clean", report.n(), report.cleanAccuracy());
        for (RobustnessReport.AttackOutcome r : report.results()) {
            String attack = String.format("%s %s eps %.3g, %d step%s of %.3g%s", r.attack(), r.norm(), r.eps(), r.steps(),
                    r.steps() == 1 ? "" : "s", r.stepSize(), r.restarts() > 1 ? ", " + r.restarts() + " restarts" : "");
            out.printf("  %-44s %8d %10.4f%n", attack, r.n(), r.robustAccuracy());
        }
        out.flush();
    }

    static void printSuite(PrintWriter out, SuiteReport r) {
        out.println();
        out.printf(Locale.ROOT, "Suite %s on %s: %d %s test images, seed %d, %.0f s%n", r.suite(), r.model(), r.n(), r.dataset(),
                r.seed(), r.seconds());
        out.printf(Locale.ROOT, "  %-34s %-6s %8s %9s %10s %8s%n", "attack", "norm", "eps", "attacked", "robust", "seconds");
        out.printf(Locale.ROOT, "  %-34s %-6s %8s %9d %10.4f %8s%n", "clean", "", "", r.n(), r.cleanAccuracy(), "");
        for (SuiteReport.AttackOutcome a : r.results()) {
            out.printf(Locale.ROOT, "  %-34s %-6s %8.4g %9d %10.4f %8.1f%n", a.attack(), a.norm(), a.eps(), a.attacked(),
                    a.robustAccuracy(), a.seconds());
        }
        for (SuiteReport.WorstCase w : r.worstCase()) {
            out.printf(Locale.ROOT, "  %-34s %-6s %8.4g %9s %10.4f%n", w.headline() ? "WORST CASE (headline)" : "worst case",
                    w.norm(), w.eps(), "", w.robustAccuracy());
        }
        if (!r.sanityChecks().isEmpty()) {
            out.println("Sanity checks:");
            for (SuiteReport.SanityCheck c : r.sanityChecks()) {
                out.printf(Locale.ROOT, "  %-7s %-26s %s%n", c.status().name().toLowerCase(Locale.ROOT), c.id(), c.detail());
            }
        }
        if (!r.defences().isEmpty()) {
            out.printf(Locale.ROOT, "Defences (%s):%n", r.defences().get(0).attack());
            out.printf(Locale.ROOT, "  %-24s %-6s %8s %8s %10s %9s%n", "defence", "view", "clean", "naive", "view alone",
                    "adaptive");
            for (SuiteReport.DefenceOutcome d : r.defences()) {
                out.printf(Locale.ROOT, "  %-24s %-6s %8.4f %8.4f %10.4f %9.4f%n", d.defence(), d.adaptive(), d.cleanAccuracy(),
                        d.naiveRobustAccuracy(), d.adaptiveAloneRobustAccuracy(), d.adaptiveRobustAccuracy());
            }
        }
        for (SuiteReport.Threshold t : r.gate().thresholds()) {
            out.printf(Locale.ROOT, "Bar: %s robust %.4f, minimum %.4f: %s%n", t.what(), t.value(), t.minimum(),
                    t.passed() ? "met" : "NOT MET");
        }
        out.printf(Locale.ROOT, "Gate: %s%s%n", r.gate().passed() ? "PASSED" : "FAILED",
                r.gate().sanityWarnings() > 0 ? " (" + r.gate().sanityWarnings() + " sanity warning"
                        + (r.gate().sanityWarnings() == 1 ? "" : "s") + (r.gate().failOnWarning() ? ", failing the gate)" : ")") : "");
        out.flush();
    }

    static void printAttack(PrintWriter out, AttackSummary s) {
        String surrogate = s.surrogate() != null ? ", crafted on " + s.surrogate() : "";
        out.println();
        out.printf("  %s (%s eps %s), %s%s: %d test images, %.1f s%n", s.attack(), s.perturbation().norm(),
                s.parameters().get("eps"), s.targeting(), surrogate, s.n(), s.seconds());
        out.printf("  %-46s %10.4f%n", "clean accuracy", s.cleanAccuracy());
        out.printf("  %-46s %10.4f%n", "success rate, counted and clean-correct (" + s.nCleanCorrect() + ")",
                s.successRateCleanCorrect());
        out.printf("  %-46s %10.4f%n", "success rate, all counted (" + s.nCounted() + ")", s.successRateOverall());
        out.printf("  %-46s %10.4f%n", "robust accuracy", s.robustAccuracy());
        out.printf("  %-28s %10s %10s %10s%n", "perturbation of successes", "mean", "median", "max");
        s.perturbation().successful().forEach((norm, st) ->
                out.printf("    %-26s %10.4f %10.4f %10.4f%n", norm, st.mean(), st.median(), st.max()));
        out.printf("  %-46s %10.1f%n", "mean queries per example (on the model)", s.meanQueries());
        out.flush();
    }
}
