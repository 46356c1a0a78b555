package dev.advtrain.core.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * {@code summary.json} of {@code advtrain attack}: the attack as run, and what it achieved.
 * Rates are fractions in [0, 1]; NaN (written {@code "NaN"}) when no example qualifies.
 *
 * @param attack the attack's catalogue name
 * @param parameters the attack's hyperparameters as resolved ({@link AttackDescription})
 * @param options what the command line set; anything else took the attack's default
 * @param model the judged model file
 * @param surrogate the model the examples were crafted on, or null (crafted on {@code model})
 * @param dataset the dataset name
 * @param targeting {@code untargeted}, {@code class K} or {@code next class}
 * @param seed seed of the attack's random choices
 * @param batchSize examples per batch
 * @param n examples attacked (the first n test images)
 * @param nCounted examples that count towards success rates (all, or those whose true class is not the target)
 * @param nCleanCorrect counted examples that the model classifies correctly, clean
 * @param nSuccessful counted examples on which the attack succeeded
 * @param cleanAccuracy share of the n examples classified correctly, clean
 * @param adversarialAccuracy share of the n examples classified correctly after the attack
 * @param robustAccuracy share of the n examples classified correctly both clean and after the attack
 * @param successRateOverall successes among the counted examples
 * @param successRateCleanCorrect successes among the counted examples classified correctly clean
 * @param perturbation perturbation sizes
 * @param meanQueries evaluations of the attacked model (gradient or forward passes) per example; 0 for
 *     a transfer attack, which reads only its surrogate
 * @param seconds wall time of the attack, including judging
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AttackSummary(
        @JsonProperty("attack") String attack,
        @JsonProperty("parameters") Map<String, Object> parameters,
        @JsonProperty("options") Map<String, Object> options,
        @JsonProperty("model") String model,
        @JsonProperty("surrogate") String surrogate,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("targeting") String targeting,
        @JsonProperty("seed") long seed,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("n") int n,
        @JsonProperty("n_counted") int nCounted,
        @JsonProperty("n_clean_correct") int nCleanCorrect,
        @JsonProperty("n_successful") int nSuccessful,
        @JsonProperty("clean_accuracy") double cleanAccuracy,
        @JsonProperty("adversarial_accuracy") double adversarialAccuracy,
        @JsonProperty("robust_accuracy") double robustAccuracy,
        @JsonProperty("success_rate_overall") double successRateOverall,
        @JsonProperty("success_rate_clean_correct") double successRateCleanCorrect,
        @JsonProperty("perturbation") Perturbation perturbation,
        @JsonProperty("mean_queries") double meanQueries,
        @JsonProperty("seconds") double seconds) {

    /**
     * Perturbation sizes under the threat model's norm and under L-inf and L2, over all examples
     * and over the successful (counted) ones.
     *
     * @param norm the threat model's norm id
     * @param all statistics per norm id over all n examples
     * @param successful the same over the successful examples (empty statistics when none)
     */
    public record Perturbation(
            @JsonProperty("norm") String norm,
            @JsonProperty("all") Map<String, Stats> all,
            @JsonProperty("successful") Map<String, Stats> successful) {
    }

    /**
     * Mean, median and maximum of a set of sizes; NaN when the set is empty.
     *
     * @param n how many values
     */
    public record Stats(
            @JsonProperty("n") int n,
            @JsonProperty("mean") double mean,
            @JsonProperty("median") double median,
            @JsonProperty("max") double max) {

        static Stats of(double[] values) {
            if (values.length == 0) {
                return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int mid = sorted.length / 2;
            double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
            return new Stats(sorted.length, Arrays.stream(sorted).average().orElseThrow(), median, sorted[sorted.length - 1]);
        }
    }

    /** Who ran what: the parts of the summary that the examples cannot tell. */
    public record Provenance(String attack, Map<String, Object> parameters, Map<String, Object> options, String model,
            String surrogate, String dataset, long seed, int batchSize) {
    }

    /** The summary of a run. */
    public static AttackSummary of(Provenance p, AdversarialExamples ex) {
        IntPredicate successful = i -> ex.counted(i) && ex.success(i);
        Perturbation perturbation = new Perturbation(ex.norm(), norms(ex, i -> true), norms(ex, successful));
        return new AttackSummary(p.attack(), p.parameters(), p.options(), p.model(), p.surrogate(), p.dataset(),
                ex.targeting().describe(), p.seed(), p.batchSize(), ex.size(), ex.countedSize(), ex.countedCleanCorrect(),
                ex.successes(), ex.cleanAccuracy(), ex.adversarialAccuracy(), ex.robustAccuracy(), ex.successRateOverall(),
                ex.successRateCleanCorrect(), perturbation, ex.meanQueries(), ex.seconds());
    }

    private static Map<String, Stats> norms(AdversarialExamples ex, IntPredicate which) {
        Map<String, Stats> out = new LinkedHashMap<>();
        out.put(ex.norm(), stats(ex, which, ex::threatNorm));
        out.putIfAbsent("linf", stats(ex, which, ex::linf));
        out.putIfAbsent("l2", stats(ex, which, ex::l2));
        return out;
    }

    private static Stats stats(AdversarialExamples ex, IntPredicate which, IntToDoubleFunction value) {
        return Stats.of(IntStream.range(0, ex.size()).filter(which).mapToDouble(value).toArray());
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        return ReportJson.write(this);
    }

    /** Reads a summary file. */
    public static AttackSummary read(Path file) throws IOException {
        return ReportJson.read(file, AttackSummary.class);
    }
}
