package dev.advtrain.core.sweep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.advtrain.core.config.ConfigEnums;
import dev.advtrain.core.eval.RobustnessReport;
import dev.advtrain.core.run.TrainingRun;
import dev.advtrain.core.train.RobustValidationListener;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One row of a sweep's results table: a candidate's values, how its run ended and what it measured.
 * Validation numbers are those of the epoch kept as {@code model-best.zip}; test numbers come from
 * the run's {@code report.json} and are shown, never used to choose.
 *
 * @param candidate the candidate's number, from 1 in the order drawn
 * @param status finished or failed
 * @param values the candidate's value of each searched config key
 * @param score the objective (null if failed); higher is better
 * @param feasible whether it meets {@code objective.min_clean}
 * @param valCleanAcc clean validation accuracy ({@code val_clean_acc})
 * @param valRobustAcc robust validation accuracy ({@code val_robust_acc})
 * @param testCleanAcc clean test accuracy ({@code test_clean_acc})
 * @param testRobustAcc the lowest robust test accuracy among the run's evaluation attacks ({@code test_robust_acc})
 * @param bestEpoch the epoch kept as {@code model-best.zip} ({@code best_epoch})
 * @param epochs epochs trained
 * @param seconds training and evaluation time, in the invocation that finished it
 * @param directory the candidate's run directory, relative to the sweep directory
 * @param reason why it failed, or why its training stopped early; null if neither
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CandidateResult(
        @JsonProperty("candidate") int candidate,
        @JsonProperty("status") Status status,
        @JsonProperty("values") Map<String, Object> values,
        @JsonProperty("score") Double score,
        @JsonProperty("feasible") boolean feasible,
        @JsonProperty("val_clean_acc") Double valCleanAcc,
        @JsonProperty("val_robust_acc") Double valRobustAcc,
        @JsonProperty("test_clean_acc") Double testCleanAcc,
        @JsonProperty("test_robust_acc") Double testRobustAcc,
        @JsonProperty("best_epoch") int bestEpoch,
        @JsonProperty("epochs") int epochs,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("directory") String directory,
        @JsonProperty("reason") String reason) {

    /** How a candidate ended. */
    public enum Status {
        /** Trained and evaluated. */
        FINISHED,
        /** Its config was invalid, its training diverged, or something else stopped it; see the reason. */
        FAILED;

        @JsonValue
        public String id() {
            return ConfigEnums.id(this);
        }

        @JsonCreator
        public static Status of(String text) {
            return ConfigEnums.parse(Status.class, text);
        }
    }

    /** Best first: finished candidates that meet min_clean by score, then the others by score, then failures by number. */
    static final Comparator<CandidateResult> RANKING = Comparator
            .comparing((CandidateResult r) -> r.status() != Status.FINISHED)
            .thenComparing(r -> !r.feasible())
            .thenComparing(r -> r.score() == null ? Double.NEGATIVE_INFINITY : -r.score())
            .thenComparingInt(CandidateResult::candidate);

    /**
     * The row of a finished run.
     *
     * @throws IllegalStateException if the run has no robust validation accuracy to score
     */
    static CandidateResult finished(int candidate, Map<String, Object> values, TrainingRun.Result run,
            SweepConfig.Objective objective, String directory) {
        Map<String, Double> best = RobustValidationListener.bestEpoch(run.history()).orElseThrow(() -> new IllegalStateException("the run has no robust validation accuracy to score;"
                        + " candidates need data.validation_size > 0"));
        double clean = best.get("val_clean_acc");
        double robust = best.get("val_robust_acc");
        RobustnessReport report = run.report();
        Double testRobust = report.results().stream().mapToDouble(RobustnessReport.AttackOutcome::robustAccuracy)
                .boxed().min(Double::compare).orElse(null);
        int epochs = run.history().isEmpty() ? 0 : run.history().get(run.history().size() - 1).get("epoch").intValue();
        return new CandidateResult(candidate, Status.FINISHED, values, objective.score(clean, robust),
                objective.feasible(clean), clean, robust, report.cleanAccuracy(), testRobust,
                best.get("epoch").intValue(), epochs,
                run.trainingSeconds() + run.evaluationSeconds(), directory, run.stopReason());
    }

    /**
     * The candidate's values for people: {@code adversarial.eps=0.2183, adversarial.recipe="trades"},
     * real numbers to 4 significant digits (the run's {@code config.yaml} and {@code results.json}
     * have them exactly), the rest in JSON.
     */
    public String valuesText() {
        return describe(values);
    }

    static String describe(Map<String, Object> values) {
        return values.entrySet().stream().map(e -> e.getValue() instanceof Double d && Double.isFinite(d)
                ? e.getKey() + "=" + new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString()
                : ConfigSpace.override(e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    /** The row of a candidate that failed. */
    static CandidateResult failed(int candidate, Map<String, Object> values, String directory, String reason,
            double seconds) {
        return new CandidateResult(candidate, Status.FAILED, values, null, false, null, null, null, null, 0, 0,
                seconds, directory, reason);
    }
}
