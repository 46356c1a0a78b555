package dev.advtrain.cli;

import dev.advtrain.core.eval.AttackSummary;
import dev.advtrain.core.eval.RobustnessReport;
import dev.advtrain.core.run.TrainingRun;
import java.io.PrintWriter;

/** The tables printed at the end of {@code train}, {@code evaluate} and {@code attack}. */
final class Summary {

    private Summary() {
    }

    static void printTraining(PrintWriter out, TrainingRun.Result result, double wallSeconds) {
        out.println();
        out.printf("Run %s%n", result.directory().root());
        out.printf("  %-6s %-10s %-10s %-10s %-14s%n", "epoch", "loss", "adv acc", "val clean", "val robust");
        for (var row : result.history()) {
            out.printf("  %-6.0f %-10.4f %-10.4f %-10.4f %-14.4f%n", row.get("epoch"), row.get("train_loss"),
                    row.getOrDefault("adv_acc", Double.NaN), row.getOrDefault("val_clean_acc", Double.NaN),
                    row.getOrDefault("val_robust_acc", Double.NaN));
        }
        printReport(out, result.report());
        out.printf("Time: training %.0f s, evaluation %.0f s, total %.0f s%n", result.trainingSeconds(),
                result.evaluationSeconds(), wallSeconds);
        out.flush();
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
