package dev.advtrain.attacks.transform;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Additive Gaussian noise {@code t(x) = x + sigma * z}, z ~ N(0, I) drawn afresh for every value:
 * the randomised-smoothing style defence. Optionally the result is clipped to a valid range.
 *
 * <p>Backward: the identity without clipping; with clipping, the gradient passes only where the
 * noisy value lies strictly inside the range (the exact derivative of the clip).
 *
 * <pre>{@code
 * InputTransform noise = new GaussianNoise(0.25);              // unclipped
 * InputTransform clipped = new GaussianNoise(0.25, 0.0, 1.0);  // clipped to [0, 1]
 * }</pre>
 */
public final class GaussianNoise implements InputTransform {

    private final double sigma;
    private final double clipMin;
    private final double clipMax;

    /** Noise of standard deviation {@code sigma}, not clipped. */
    public GaussianNoise(double sigma) {
        this(sigma, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Noise of standard deviation {@code sigma}, the result clipped to [clipMin, clipMax]. */
    public GaussianNoise(double sigma, double clipMin, double clipMax) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        }
        if (!(clipMin < clipMax)) {
            throw new IllegalArgumentException("clip range must have min < max, got [" + clipMin + ", " + clipMax + "]");
        }
        this.sigma = sigma;
        this.clipMin = clipMin;
        this.clipMax = clipMax;
    }

    @Override
    public Applied apply(INDArray x, SplittableRandom rng) {
        double[] noise = new double[Math.toIntExact(x.length())];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = sigma * rng.nextGaussian();
        }
        INDArray output = x.add(Nd4j.create(noise, x.shape(), 'c').castTo(x.dataType()));
        if (Double.isInfinite(clipMin) && Double.isInfinite(clipMax)) {
            return new Applied(output, g -> g);
        }
        INDArray inside = output.gt(clipMin).castTo(x.dataType()).muli(output.lt(clipMax).castTo(x.dataType()));
        Transforms.min(Transforms.max(output, clipMin, false), clipMax, false);
        return new Applied(output, g -> g.mul(inside.castTo(g.dataType())));
    }

    /** The noise's standard deviation. */
    public double sigma() {
        return sigma;
    }

    @Override
    public String toString() {
        return "gaussian-noise(sigma=" + sigma + ")";
    }
}
