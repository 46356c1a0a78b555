package dev.advtrain.attacks.transform;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Bit-depth reduction (the colour-depth squeezer of Xu, Evans and Qi, "Feature Squeezing", NDSS
 * 2018): each value of the range [min, max] is rounded to the nearest of {@code 2^bits} evenly
 * spaced levels. Deterministic.
 *
 * <p>Piecewise constant, so its derivative is zero almost everywhere, and backward returns zeros:
 * a naive gradient attack through it sees nothing. {@link BackwardPassDifferentiableApproximation}
 * (with the identity) is the standard way through.
 *
 * <pre>{@code
 * InputTransform squeeze = new BitDepthReduction(3);  // 8 levels in [0, 1]
 * }</pre>
 */
public final class BitDepthReduction implements InputTransform {

    private final int bits;
    private final double min;
    private final double max;

    /** {@code bits} bits per value in [0, 1]. */
    public BitDepthReduction(int bits) {
        this(bits, 0.0, 1.0);
    }

    /** {@code bits} bits per value in [min, max]; values outside are clipped first. */
    public BitDepthReduction(int bits, double min, double max) {
        if (bits < 1 || bits > 24) {
            throw new IllegalArgumentException("bits must be in 1..24, got " + bits);
        }
        if (!(min < max)) {
            throw new IllegalArgumentException("range must have min < max, got [" + min + ", " + max + "]");
        }
        this.bits = bits;
        this.min = min;
        this.max = max;
    }

    @Override
    public Applied apply(INDArray x, SplittableRandom rng) {
        double levels = (1 << bits) - 1;
        INDArray unit = Transforms.min(Transforms.max(x.sub(min), 0.0, false), max - min, false).divi(max - min);
        INDArray output = Transforms.round(unit.muli(levels), false).divi(levels).muli(max - min).addi(min);
        return new Applied(output, Nd4j::zerosLike);
    }

    /** Bits per value. */
    public int bits() {
        return bits;
    }

    @Override
    public String toString() {
        return "bit-depth(" + bits + ")";
    }
}
