package dev.advtrain.attacks;

/**
 * An iterative attack's step size, either absolute or relative to eps (so that an eps sweep keeps
 * the same schedule).
 *
 * @param value the size, or the factor applied to eps
 * @param relative whether {@code value} is a factor of eps
 */
public record StepSize(double value, boolean relative) {

    public StepSize {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("step size must be > 0, got " + value);
        }
    }

    /** A step of {@code value} in input units. */
    public static StepSize absolute(double value) {
        return new StepSize(value, false);
    }

    /** A step of {@code factor * eps}. */
    public static StepSize relative(double factor) {
        return new StepSize(factor, true);
    }

    /** The step in input units for the given eps. */
    public double resolve(double eps) {
        return relative ? value * eps : value;
    }
}
