package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How adversarial examples enter the training batches ({@code adversarial.mixing.policy}). */
public enum MixingPolicy {
    /** Each batch: a {@code fraction} of its examples replaced by their adversarial versions. */
    MIX,
    /** Whole batches alternate: {@code ratio} adversarial batches per clean batch. */
    ALTERNATE,
    /** Every batch fully adversarial (Madry et al. 2018). */
    ADVERSARIAL_ONLY,
    /** No adversarial examples: the clean baseline. */
    CLEAN_ONLY;

    /** The YAML spelling, e.g. {@code adversarial-only}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The constant spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static MixingPolicy of(String text) {
        return ConfigEnums.parse(MixingPolicy.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
