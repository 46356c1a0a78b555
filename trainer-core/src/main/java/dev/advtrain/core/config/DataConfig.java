package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Where the data comes from and how much of it is used ({@code data:}).
 *
 * @param dataset the dataset; only {@code mnist} for now; default {@code mnist}
 * @param dir directory holding (or receiving) the dataset files; non-empty; default {@code
 *     data/mnist}, or the environment variable {@code ADVTRAIN_DATA_DIR} when the key is not given
 * @param trainLimit use only the first this many training images ({@code train_limit}), 0 = all;
 *     >= 0; default 0
 * @param validationSize images held out from the end of the training set for per-epoch clean and
 *     robust validation ({@code validation_size}), 0 = no validation; >= 0; default 1000
 * @param testLimit test images loaded for evaluation ({@code test_limit}), 0 = all 10,000; the
 *     limits in {@code evaluation} apply within these; >= 0; default 0
 */
public record DataConfig(
        @JsonProperty("dataset") DatasetName dataset,
        @JsonProperty("dir") String dir,
        @JsonProperty("train_limit") int trainLimit,
        @JsonProperty("validation_size") int validationSize,
        @JsonProperty("test_limit") int testLimit) {

    public DataConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(dir, "dir");
    }

    @JsonCreator
    static DataConfig fromYaml(
            @JsonProperty("dataset") DatasetName dataset,
            @JsonProperty("dir") String dir,
            @JsonProperty("train_limit") Integer trainLimit,
            @JsonProperty("validation_size") Integer validationSize,
            @JsonProperty("test_limit") Integer testLimit) {
        return new DataConfig(requireNonNullElse(dataset, DatasetName.MNIST), requireNonNullElse(dir, "data/mnist"),
                requireNonNullElse(trainLimit, 0), requireNonNullElse(validationSize, 1000),
                requireNonNullElse(testLimit, 0));
    }
}
