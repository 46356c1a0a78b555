package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The gradient-descent updater ({@code training.optimizer}). */
public enum Optimizer {
    /** Adam (Kingma and Ba, 2015). */
    ADAM,
    /** Plain stochastic gradient descent. */
    SGD,
    /** SGD with Nesterov momentum. */
    NESTEROVS;

    /** The YAML spelling, e.g. {@code adam}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The constant spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static Optimizer of(String text) {
        return ConfigEnums.parse(Optimizer.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
