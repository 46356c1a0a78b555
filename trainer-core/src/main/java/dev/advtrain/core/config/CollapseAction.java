package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What the catastrophic-overfitting guard does when robust accuracy collapses ({@code guards.collapse.action}). */
public enum CollapseAction {
    /** No checks. */
    OFF,
    /** Put back the weights of the last good check and stop training. */
    STOP,
    /** Put back the weights and optimiser state of the last good check and train on. */
    ROLLBACK,
    /** Roll back, and multiply the training attack's step size by {@code step_factor}. */
    LOWER_STEP;

    /** The YAML spelling, e.g. {@code lower-step}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The action spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static CollapseAction of(String text) {
        return ConfigEnums.parse(CollapseAction.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
