package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How Spark keeps the training minibatches between uses ({@code distributed.storage_level}): the
 * serialised levels only. Workers replace a minibatch's features with its adversarial version just
 * before fitting it; with an unserialised cache that would change the cached batch itself.
 */
public enum RddStorage {
    /** Serialised, in memory; recomputed when evicted. */
    MEMORY_ONLY_SER,
    /** Serialised, in memory, spilling to disk. */
    MEMORY_AND_DISK_SER,
    /** Serialised, on disk. */
    DISK_ONLY;

    /** The YAML spelling, e.g. {@code memory-only-ser}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The level spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static RddStorage of(String text) {
        return ConfigEnums.parse(RddStorage.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
