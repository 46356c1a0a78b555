package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The network trained ({@code model.arch}). */
public enum Architecture {
    /** A small convolutional network: two conv/pool blocks and a dense layer. */
    SMALL_CNN,
    /** LeNet-5 style convolutional network. */
    LENET,
    /** A multi-layer perceptron on the flattened image. */
    MLP,
    /**
     * The MNIST network of fast adversarial training (Wong et al. 2020): two strided 4x4
     * convolutions and a dense layer of 100, no pooling.
     */
    STRIDE_CNN;

    /** The YAML spelling, e.g. {@code small-cnn}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The constant spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static Architecture of(String text) {
        return ConfigEnums.parse(Architecture.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
