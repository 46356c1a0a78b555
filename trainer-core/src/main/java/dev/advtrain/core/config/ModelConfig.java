package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The network to train ({@code model:}): one of advtrain's architectures ({@code arch}), a DL4J zoo
 * architecture trained from scratch ({@code zoo}), or an existing model ({@code file}) to fine-tune.
 *
 * @param arch advtrain architecture: {@code small-cnn}, {@code lenet}, {@code mlp} or {@code
 *     stride-cnn}; default {@code small-cnn}; ignored when {@code zoo} or {@code file} is given
 * @param dropout dropout probability before the classifier (advtrain architectures); in [0, 1);
 *     default 0.0
 * @param width factor on the width of every hidden layer of an advtrain architecture (channels of
 *     each convolution, units of each dense layer; rounded, at least 1), the knob a sweep turns to
 *     trade capacity for time; in (0, 16]; default 1.0; only for {@code arch}
 * @param graph build the network as a ComputationGraph (the form of zoo models and imported
 *     functional Keras models) instead of a MultiLayerNetwork; the same layers and weights; default
 *     false
 * @param zoo a DL4J zoo architecture by name, randomly initialised with the run's seed; null for none
 * @param file a model to start from: a DL4J zip (MultiLayerNetwork or ComputationGraph, with or
 *     without updater state) or a Keras {@code .h5}; null for none
 * @param inputLayout the array the model's first layer takes ({@code input_layout}); null = read it
 *     from the network
 * @param normalize per-channel normalisation placed inside the model as its first step, so attacks
 *     and eps stay in pixel units; null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelConfig(@JsonProperty("arch") Architecture arch, @JsonProperty("dropout") double dropout,
        @JsonProperty("width") double width, @JsonProperty("graph") boolean graph, @JsonProperty("zoo") String zoo, @JsonProperty("file") String file,
        @JsonProperty("input_layout") InputLayout inputLayout, @JsonProperty("normalize") Normalize normalize) {

    public ModelConfig {
        Objects.requireNonNull(arch, "arch");
    }

    @JsonCreator
    static ModelConfig fromYaml(@JsonProperty("arch") Architecture arch, @JsonProperty("dropout") Double dropout,
            @JsonProperty("width") Double width, @JsonProperty("graph") Boolean graph, @JsonProperty("zoo") String zoo, @JsonProperty("file") String file,
            @JsonProperty("input_layout") InputLayout inputLayout, @JsonProperty("normalize") Normalize normalize) {
        return new ModelConfig(requireNonNullElse(arch, Architecture.SMALL_CNN), requireNonNullElse(dropout, 0.0),
                requireNonNullElse(width, 1.0), requireNonNullElse(graph, false), zoo, file, inputLayout, normalize);
    }

    /** Whether the run starts from an existing model ({@code file}). */
    @JsonIgnore
    public boolean fromFile() {
        return file != null && !file.isBlank();
    }

    /** {@code units} hidden units or channels of an advtrain architecture at this {@link #width}. */
    public int scaled(int units) {
        return Math.max(1, (int) Math.round(units * width));
    }

    /**
     * Per-channel normalisation {@code (x - mean) / std} inside the model ({@code model.normalize:}).
     *
     * @param mean one value per image channel, in pixel units [0, 1] (e.g. MNIST 0.1307)
     * @param std one value per image channel, each &gt; 0 (e.g. MNIST 0.3081)
     */
    public record Normalize(@JsonProperty("mean") List<Double> mean, @JsonProperty("std") List<Double> std) {

        public Normalize {
            mean = List.copyOf(requireNonNullElse(mean, List.of()));
            std = List.copyOf(requireNonNullElse(std, List.of()));
        }

        /** The mean as an array. */
        public double[] meanArray() {
            return mean.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /** The standard deviation as an array. */
        public double[] stdArray() {
            return std.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
