package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Where the data comes from and how much of it is used ({@code data:}).
 *
 * @param dataset {@code mnist}, {@code idx}, {@code cifar10}, {@code folder} or {@code auto}; default
 *     {@code mnist}
 * @param dir directory holding (or, for MNIST, receiving) the dataset files; non-empty; default
 *     {@code data/mnist}, or the environment variable {@code ADVTRAIN_DATA_DIR} when the key is not
 *     given
 * @param trainLimit use only the first this many training images ({@code train_limit}), 0 = all;
 *     >= 0; default 0
 * @param validationSize images held out from the end of the training set for per-epoch clean and
 *     robust validation ({@code validation_size}), 0 = no validation; >= 0; default 1000
 * @param testLimit test images loaded for evaluation ({@code test_limit}), 0 = all; the limits in
 *     {@code evaluation} apply within these; >= 0; default 0
 * @param image {@code folder}: the size every image is resized to
 * @param testFraction {@code folder}: the share of each class's images set aside as the test set,
 *     chosen with the run's seed ({@code test_fraction}); in (0, 1); default 0.2
 */
public record DataConfig(
        @JsonProperty("dataset") DatasetName dataset,
        @JsonProperty("dir") String dir,
        @JsonProperty("train_limit") int trainLimit,
        @JsonProperty("validation_size") int validationSize,
        @JsonProperty("test_limit") int testLimit,
        @JsonProperty("image") Image image,
        @JsonProperty("test_fraction") double testFraction) {

    public DataConfig {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(image, "image");
    }

    @JsonCreator
    static DataConfig fromYaml(
            @JsonProperty("dataset") DatasetName dataset,
            @JsonProperty("dir") String dir,
            @JsonProperty("train_limit") Integer trainLimit,
            @JsonProperty("validation_size") Integer validationSize,
            @JsonProperty("test_limit") Integer testLimit,
            @JsonProperty("image") Image image,
            @JsonProperty("test_fraction") Double testFraction) {
        return new DataConfig(requireNonNullElse(dataset, DatasetName.MNIST), requireNonNullElse(dir, "data/mnist"),
                requireNonNullElse(trainLimit, 0), requireNonNullElse(validationSize, 1000),
                requireNonNullElse(testLimit, 0), image != null ? image : Image.fromYaml(null, null, null),
                requireNonNullElse(testFraction, 0.2));
    }

    /**
     * The size images of a {@code folder} dataset are resized to ({@code data.image:}).
     *
     * @param height rows; >= 1; default 32
     * @param width columns; >= 1; default 32
     * @param channels 1 (grey) or 3 (RGB); default 3
     */
    public record Image(
            @JsonProperty("height") int height,
            @JsonProperty("width") int width,
            @JsonProperty("channels") int channels) {

        @JsonCreator
        static Image fromYaml(
                @JsonProperty("height") Integer height,
                @JsonProperty("width") Integer width,
                @JsonProperty("channels") Integer channels) {
            return new Image(requireNonNullElse(height, 32), requireNonNullElse(width, 32),
                    requireNonNullElse(channels, 3));
        }
    }
}
