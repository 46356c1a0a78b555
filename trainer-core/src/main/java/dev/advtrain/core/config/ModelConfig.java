package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The network to train ({@code model:}).
 *
 * @param arch architecture: {@code small-cnn}, {@code lenet} or {@code mlp}; default {@code small-cnn}
 * @param dropout dropout probability before the classifier; in [0, 1); default 0.0
 * @param graph build the network as a ComputationGraph (the form of zoo models and imported
 *     functional Keras models) instead of a MultiLayerNetwork; the same layers and weights; default
 *     false
 */
public record ModelConfig(@JsonProperty("arch") Architecture arch, @JsonProperty("dropout") double dropout,
        @JsonProperty("graph") boolean graph) {

    public ModelConfig {
        Objects.requireNonNull(arch, "arch");
    }

    @JsonCreator
    static ModelConfig fromYaml(@JsonProperty("arch") Architecture arch, @JsonProperty("dropout") Double dropout,
            @JsonProperty("graph") Boolean graph) {
        return new ModelConfig(requireNonNullElse(arch, Architecture.SMALL_CNN), requireNonNullElse(dropout, 0.0),
                requireNonNullElse(graph, false));
    }
}
