package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The dataset a run trains and evaluates on ({@code data.dataset}). */
public enum DatasetName {
    /** MNIST handwritten digits: 60,000 training and 10,000 test 28x28 grey images, 10 classes. */
    MNIST;

    /** The YAML spelling, e.g. {@code mnist}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The constant spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static DatasetName of(String text) {
        return ConfigEnums.parse(DatasetName.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
