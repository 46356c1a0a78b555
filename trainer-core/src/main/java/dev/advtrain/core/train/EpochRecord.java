package dev.advtrain.core.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch's numbers, in column order: the trainer fills in the training metrics, listeners such
 * as robust validation add theirs, and later listeners (metrics file, checkpoints, progress) read
 * them all.
 */
public final class EpochRecord {

    /** The metric a guard sets to 1 on an epoch whose weights it rolled back. */
    public static final String ROLLED_BACK = "rolled_back";

    private final int epoch;
    private final Map<String, Double> metrics = new LinkedHashMap<>();

    public EpochRecord(int epoch) {
        this.epoch = epoch;
    }

    /** The epoch, counted from 1. */
    public int epoch() {
        return epoch;
    }

    /** Adds or replaces a metric. */
    public EpochRecord put(String name, double value) {
        metrics.put(name, value);
        return this;
    }

    /** A metric, or NaN if no one recorded it. */
    public double get(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }

    /** Whether a guard rolled this epoch's weights back ({@link #ROLLED_BACK} is 1). */
    public boolean rolledBack() {
        return get(ROLLED_BACK) == 1.0;
    }

    /** The row written to metrics files and checkpoints: {@code epoch}, then every metric. */
    public Map<String, Double> toRow() {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("epoch", (double) epoch);
        row.putAll(metrics);
        return row;
    }

    /** All metrics, in the order they were recorded. */
    public Map<String, Double> metrics() {
        return Collections.unmodifiableMap(metrics);
    }
}
