package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the learning rate changes over training ({@code training.lr_schedule}). */
public enum LrSchedule {
    /** The same learning rate throughout. */
    CONSTANT,
    /** Multiplied by {@code lr_decay} at each epoch listed in {@code lr_milestones}. */
    STEP,
    /** Cosine annealing from the learning rate to zero over all epochs. */
    COSINE,
    /**
     * One triangular cycle (Smith 2017; Wong et al. 2020): linear from 0 up to the learning rate at
     * {@code lr_peak} of training, then linear down to 0 at the end.
     */
    CYCLIC;

    /** The YAML spelling, e.g. {@code constant}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The constant spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static LrSchedule of(String text) {
        return ConfigEnums.parse(LrSchedule.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
