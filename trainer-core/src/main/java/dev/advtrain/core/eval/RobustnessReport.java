package dev.advtrain.core.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The robustness report written as {@code report.json} by training and by {@code advtrain evaluate}.
 * Accuracies are fractions in [0, 1].
 *
 * @param model the evaluated model file
 * @param dataset the dataset name
 * @param n test images behind {@code clean_accuracy}
 * @param cleanAccuracy accuracy on the clean test images
 * @param seed seed of the attacks' random starts
 * @param results robust accuracy under each attack
 */
public record RobustnessReport(
        @JsonProperty("model") String model,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("n") int n,
        @JsonProperty("clean_accuracy") double cleanAccuracy,
        @JsonProperty("seed") long seed,
        @JsonProperty("results") List<AttackOutcome> results) {

    /**
     * Robust accuracy under one attack: the share of the first {@code n} test images that the model
     * classifies correctly both clean and under attack.
     *
     * @param meanPerturbation mean L-inf size of the perturbations actually applied
     * @param seconds wall time of the attack
     */
    public record AttackOutcome(
            @JsonProperty("attack") String attack,
            @JsonProperty("norm") String norm,
            @JsonProperty("eps") double eps,
            @JsonProperty("steps") int steps,
            @JsonProperty("step_size") double stepSize,
            @JsonProperty("restarts") int restarts,
            @JsonProperty("random_start") boolean randomStart,
            @JsonProperty("n") int n,
            @JsonProperty("clean_accuracy") double cleanAccuracy,
            @JsonProperty("robust_accuracy") double robustAccuracy,
            @JsonProperty("mean_perturbation") double meanPerturbation,
            @JsonProperty("seconds") double seconds) {
    }

    /** Pretty-printed JSON. */
    public String toJson() {
        return ReportJson.write(this);
    }

    /** Reads a report file. */
    public static RobustnessReport read(Path file) throws IOException {
        return ReportJson.read(file, RobustnessReport.class);
    }
}
