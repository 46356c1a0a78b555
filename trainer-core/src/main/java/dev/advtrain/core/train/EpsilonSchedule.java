package dev.advtrain.core.train;

/**
 * The training attack's eps over time: a linear warm-up from 0 to {@code eps} over
 * {@code warmupIterations}, then constant. Warm-up avoids attacking a random network at full
 * strength, which can stall early training.
 */
public record EpsilonSchedule(double eps, long warmupIterations) {

    /** eps at a (0-based) iteration. */
    public double at(long iteration) {
        if (warmupIterations <= 0 || iteration >= warmupIterations) {
            return eps;
        }
        return eps * (iteration + 1) / (double) warmupIterations;
    }

    /** A warm-up of a (possibly fractional) number of epochs. */
    public static EpsilonSchedule of(double eps, double warmupEpochs, int batchesPerEpoch) {
        return new EpsilonSchedule(eps, Math.round(warmupEpochs * batchesPerEpoch));
    }
}
