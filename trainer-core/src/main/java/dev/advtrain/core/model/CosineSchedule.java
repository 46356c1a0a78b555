package dev.advtrain.core.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine annealing of the learning rate from {@code initialValue} to 0 over {@code totalIterations}
 * (Loshchilov and Hutter, SGDR), evaluated per iteration. Serialisable with the model
 * configuration, so a checkpoint resumes on the same curve.
 */
public final class CosineSchedule implements ISchedule {

    private final double initialValue;
    private final long totalIterations;

    public CosineSchedule(@JsonProperty("initialValue") double initialValue,
            @JsonProperty("totalIterations") long totalIterations) {
        this.initialValue = initialValue;
        this.totalIterations = Math.max(1, totalIterations);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double progress = Math.min(1.0, (double) iteration / totalIterations);
        return initialValue * 0.5 * (1.0 + Math.cos(Math.PI * progress));
    }

    @Override
    public ISchedule clone() {
        return new CosineSchedule(initialValue, totalIterations);
    }

    @JsonProperty("initialValue")
    public double getInitialValue() {
        return initialValue;
    }

    @JsonProperty("totalIterations")
    public long getTotalIterations() {
        return totalIterations;
    }
}
