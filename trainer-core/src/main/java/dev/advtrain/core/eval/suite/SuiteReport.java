package dev.advtrain.core.eval.suite;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.advtrain.core.eval.ReportJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json} of {@code advtrain evaluate}: the spine's robustness report ({@code model},
 * {@code dataset}, {@code n}, {@code clean_accuracy}, {@code seed}, {@code results}) extended with the
 * suite's worst case, per-class numbers, sanity checks, defences and the gate. Accuracies are
 * fractions in [0, 1]; NaN (written {@code "NaN"}) where nothing was measured.
 *
 * @param schema {@value #SCHEMA}
 * @param suite the suite's name
 * @param model the evaluated model file
 * @param dataset the dataset name
 * @param n test images evaluated (the first n), the same for every attack
 * @param cleanAccuracy accuracy on those images, clean
 * @param seed the suite's seed; each attack's own seed is derived from it and stated in its parameters
 * @param batchSize images per attack batch
 * @param results every attack at every eps of its threat model
 * @param worstCase per threat model and eps: robust only if every attack of the suite failed
 * @param perClass per threat model, at its headline eps: per-class clean and worst-case robust accuracy
 * @param sanityChecks the automatic checks of the evaluation itself
 * @param defences input-preprocessing defences, attacked naively and adaptively
 * @param gate the deployment gate's verdict
 * @param seconds wall time of the whole evaluation
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SuiteReport(
        @JsonProperty("schema") String schema,
        @JsonProperty("suite") String suite,
        @JsonProperty("model") String model,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("n") int n,
        @JsonProperty("clean_accuracy") double cleanAccuracy,
        @JsonProperty("seed") long seed,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("results") List<AttackOutcome> results,
        @JsonProperty("worst_case") List<WorstCase> worstCase,
        @JsonProperty("per_class") List<PerClass> perClass,
        @JsonProperty("sanity_checks") List<SanityCheck> sanityChecks,
        @JsonProperty("defences") List<DefenceOutcome> defences,
        @JsonProperty("gate") Gate gate,
        @JsonProperty("seconds") double seconds) {

    /** The value of {@code schema}. */
    public static final String SCHEMA = "advtrain-evaluation/1";

    /**
     * One attack at one eps.
     *
     * @param attack the catalogue name
     * @param norm the threat model's norm id
     * @param eps the budget
     * @param parameters the attack's hyperparameters as resolved, seed included
     * @param n images in the sample
     * @param attacked images actually attacked: the clean-correct ones, or in a cascade those that
     *     survived the attacks before this one
     * @param robustAccuracy share of the n images classified correctly clean and under this attack;
     *     in a cascade, under this attack and every one before it
     * @param successes attacked images that this attack broke
     * @param meanPerturbation mean size, in the threat norm, of the perturbations that broke an image
     *     (NaN when none did)
     * @param meanQueries model evaluations per attacked image (gradient or forward passes)
     * @param seconds wall time
     */
    public record AttackOutcome(
            @JsonProperty("attack") String attack,
            @JsonProperty("norm") String norm,
            @JsonProperty("eps") double eps,
            @JsonProperty("parameters") Map<String, Object> parameters,
            @JsonProperty("n") int n,
            @JsonProperty("attacked") int attacked,
            @JsonProperty("robust_accuracy") double robustAccuracy,
            @JsonProperty("successes") int successes,
            @JsonProperty("mean_perturbation") double meanPerturbation,
            @JsonProperty("mean_queries") double meanQueries,
            @JsonProperty("seconds") double seconds) {
    }

    /**
     * The per-example worst case over the suite's attacks at one eps.
     *
     * @param norm the threat model's norm id
     * @param eps the budget
     * @param headline whether this is the threat model's headline eps (gate, per-class, grids)
     * @param robustAccuracy share of the n images that every attack failed on (and that were correct clean)
     * @param brokenBy for each attack, how many images it was the first (in suite order) to break
     */
    public record WorstCase(
            @JsonProperty("norm") String norm,
            @JsonProperty("eps") double eps,
            @JsonProperty("headline") boolean headline,
            @JsonProperty("robust_accuracy") double robustAccuracy,
            @JsonProperty("broken_by") Map<String, Integer> brokenBy) {
    }

    /**
     * Per-class numbers for one threat model at its headline eps, with the confusion of the
     * worst-case adversarial predictions.
     *
     * @param norm the threat model's norm id
     * @param eps the headline eps
     * @param classes per class, in class order
     * @param confusion {@code confusion[true class][predicted class]}: counts of the prediction on each
     *     image's worst-case adversarial example (the clean image when no attack broke it)
     */
    public record PerClass(
            @JsonProperty("norm") String norm,
            @JsonProperty("eps") double eps,
            @JsonProperty("classes") List<ClassOutcome> classes,
            @JsonProperty("confusion") int[][] confusion) {
    }

    /**
     * @param label the class index
     * @param n images of this class in the sample
     * @param cleanAccuracy share classified correctly, clean
     * @param robustAccuracy share robust in the worst case
     */
    public record ClassOutcome(
            @JsonProperty("label") int label,
            @JsonProperty("n") int n,
            @JsonProperty("clean_accuracy") double cleanAccuracy,
            @JsonProperty("robust_accuracy") double robustAccuracy) {
    }

    /** A sanity check's verdict. */
    public enum Status {
        @JsonProperty("pass") PASS,
        @JsonProperty("warn") WARN,
        @JsonProperty("skipped") SKIPPED
    }

    /**
     * One automatic check of the evaluation (Carlini et al. 2019; Athalye et al. 2018).
     *
     * @param id a stable identifier, e.g. {@code iterative-vs-single-step}
     * @param title what is checked, in words
     * @param status pass, warn, or skipped (with the reason in {@code detail})
     * @param detail one line with the numbers behind the verdict
     * @param values the numbers themselves
     */
    public record SanityCheck(
            @JsonProperty("id") String id,
            @JsonProperty("title") String title,
            @JsonProperty("status") Status status,
            @JsonProperty("detail") String detail,
            @JsonProperty("values") Map<String, Double> values) {
    }

    /**
     * One input-preprocessing defence in front of the model, attacked as a naive white-box attacker
     * would (differentiating the pipeline as it is) and by the adaptive attack that defeats it.
     *
     * @param defence the defence as configured, e.g. {@code bit-depth(3)}
     * @param adaptive how the adaptive attack sees it: {@code bpda}, {@code eot} or {@code bpda+eot}
     * @param attack the attack used for both, with its parameters
     * @param norm the threat model's norm id
     * @param eps the budget
     * @param n images in the sample
     * @param cleanAccuracy accuracy of the defended model, clean
     * @param naiveRobustAccuracy robust accuracy under the naive attack
     * @param adaptiveRobustAccuracy robust accuracy of the adaptive attacker, who keeps per image
     *     whichever of the naive and the BPDA or EOT attack broke it: robust only if both failed
     * @param adaptiveAloneRobustAccuracy robust accuracy under the BPDA or EOT attack alone
     * @param seconds wall time of both attacks
     */
    public record DefenceOutcome(
            @JsonProperty("defence") String defence,
            @JsonProperty("adaptive") String adaptive,
            @JsonProperty("attack") String attack,
            @JsonProperty("norm") String norm,
            @JsonProperty("eps") double eps,
            @JsonProperty("n") int n,
            @JsonProperty("clean_accuracy") double cleanAccuracy,
            @JsonProperty("naive_robust_accuracy") double naiveRobustAccuracy,
            @JsonProperty("adaptive_robust_accuracy") double adaptiveRobustAccuracy,
            @JsonProperty("adaptive_alone_robust_accuracy") double adaptiveAloneRobustAccuracy,
            @JsonProperty("seconds") double seconds) {
    }

    /**
     * The deployment gate.
     *
     * @param passed true when every threshold is met (and, with {@code fail_on_warning}, no sanity
     *     check warned)
     * @param thresholds each bar and the number it was held against
     * @param sanityWarnings how many sanity checks warned
     * @param failOnWarning whether a sanity warning fails the gate
     */
    public record Gate(
            @JsonProperty("passed") boolean passed,
            @JsonProperty("thresholds") List<Threshold> thresholds,
            @JsonProperty("sanity_warnings") int sanityWarnings,
            @JsonProperty("fail_on_warning") boolean failOnWarning) {
    }

    /**
     * @param what what is held to the bar, e.g. {@code worst case linf eps 0.1} or {@code apgd-ce linf eps 0.1}
     * @param minimum the bar: robust accuracy must be at least this
     * @param value the measured robust accuracy
     * @param passed {@code value >= minimum}
     */
    public record Threshold(
            @JsonProperty("what") String what,
            @JsonProperty("minimum") double minimum,
            @JsonProperty("value") double value,
            @JsonProperty("passed") boolean passed) {
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        return ReportJson.write(this);
    }

    /** Reads a report file. */
    public static SuiteReport read(Path file) throws IOException {
        return ReportJson.read(file, SuiteReport.class);
    }
}
