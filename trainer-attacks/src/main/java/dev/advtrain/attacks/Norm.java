package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The threat model's norm, as the three operations in which iterative attacks differ: where a
 * random start is drawn, how a gradient becomes a step, and how a perturbation is projected back
 * into the eps-ball.
 */
public interface Norm {

    /** Short name used in reports, e.g. {@code "linf"}. */
    String id();

    /** A random perturbation inside the eps-ball, shaped like {@code like}. */
    INDArray randomStart(INDArray like, double eps, SplittableRandom rng);

    /** The unit-size ascent direction for this norm from a raw gradient (a new array). */
    INDArray stepDirection(INDArray gradient);

    /**
     * The step direction at {@code point} for an {@code ascent} gradient (already signed so that
     * the step goes along it), for iterates confined to [clipMin, clipMax]. Norms that spend a
     * budget per coordinate ({@link L1Norm}) leave out coordinates at a bound that the step would
     * push further out; the default is {@link #stepDirection(INDArray)}.
     */
    default INDArray stepDirection(INDArray ascent, INDArray point, double clipMin, double clipMax) {
        return stepDirection(ascent);
    }

    /** Projects {@code delta} into the eps-ball, in place, and returns it. */
    INDArray projectInPlace(INDArray delta, double eps);

    /** Per-example size of {@code delta} under this norm. */
    double[] perExampleNorm(INDArray delta);
}
