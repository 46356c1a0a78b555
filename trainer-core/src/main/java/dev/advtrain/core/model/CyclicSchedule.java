package dev.advtrain.core.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * One triangular learning-rate cycle over {@code totalIterations} (Smith 2017, as used by fast
 * adversarial training, Wong et al. 2020): linear from 0 to {@code maxValue} at {@code peak} of
 * the iterations, then linear back to 0. Serialisable with the model configuration, so a checkpoint
 * resumes on the same curve.
 */
public final class CyclicSchedule implements ISchedule {

    private final double maxValue;
    private final long totalIterations;
    private final double peak;

    public CyclicSchedule(@JsonProperty("maxValue") double maxValue,
            @JsonProperty("totalIterations") long totalIterations, @JsonProperty("peak") double peak) {
        if (!(peak > 0 && peak < 1)) {
            throw new IllegalArgumentException("peak must be in (0, 1), got " + peak);
        }
        this.maxValue = maxValue;
        this.totalIterations = Math.max(1, totalIterations);
        this.peak = peak;
    }

    /** The rate at a 0-based iteration; iteration i is evaluated at the middle of its step, never 0. */
    @Override
    public double valueAt(int iteration, int epoch) {
        double t = Math.min(1.0, (iteration + 0.5) / totalIterations);
        return t <= peak ? maxValue * t / peak : maxValue * (1 - t) / (1 - peak);
    }

    @Override
    public ISchedule clone() {
        return new CyclicSchedule(maxValue, totalIterations, peak);
    }

    @JsonProperty("maxValue")
    public double getMaxValue() {
        return maxValue;
    }

    @JsonProperty("totalIterations")
    public long getTotalIterations() {
        return totalIterations;
    }

    @JsonProperty("peak")
    public double getPeak() {
        return peak;
    }
}
