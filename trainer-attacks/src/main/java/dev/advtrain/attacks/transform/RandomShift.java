package dev.advtrain.attacks.transform;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random translation: each image moves by its own integer offset (dy, dx), drawn uniformly from
 * [-maxShift, maxShift]^2; pixels that come in from outside take a fill value (default 0). A
 * random-transformation defence in the spirit of Xie et al. 2018 (random resizing and padding).
 *
 * <p>The forward pass is a gather, {@code out[i, j] = x[i - dy, j - dx]}; backward is its exact
 * adjoint, the scatter of the gradient back to the pixels it came from (a shift by (-dy, -dx) with
 * zeros coming in), so the VJP is exact.
 *
 * <p>Images come as [N, C, H, W] or as flat rows (see {@link ImageShape#of}), and the output keeps
 * the input's shape.
 *
 * <pre>{@code
 * InputTransform shift = new RandomShift(2);  // up to 2 pixels each way, zero padding
 * }</pre>
 */
public final class RandomShift implements InputTransform {

    private final int maxShift;
    private final double fill;
    private final ImageShape shape;

    /** Shifts of up to {@code maxShift} pixels each way, zero padding, image shape from the batch. */
    public RandomShift(int maxShift) {
        this(maxShift, 0.0, null);
    }

    /**
     * @param maxShift largest offset each way, >= 0
     * @param fill value of the pixels that come in from outside
     * @param shape the image shape, or null to infer it from each batch (see {@link ImageShape#of})
     */
    public RandomShift(int maxShift, double fill, ImageShape shape) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("maxShift must be >= 0, got " + maxShift);
        }
        this.maxShift = maxShift;
        this.fill = fill;
        this.shape = shape;
    }

    @Override
    public Applied apply(INDArray x, SplittableRandom rng) {
        ImageShape image = shape != null ? shape : ImageShape.of(x);
        image.check(x);
        int n = (int) x.size(0);
        int[] dy = new int[n];
        int[] dx = new int[n];
        for (int i = 0; i < n; i++) {
            dy[i] = rng.nextInt(-maxShift, maxShift + 1);
            dx[i] = rng.nextInt(-maxShift, maxShift + 1);
        }
        INDArray output = shift(x, image, dy, dx, fill, 1);
        return new Applied(output, g -> shift(g, image, dy, dx, 0.0, -1));
    }

    /** {@code out[n, c, i, j] = in[n, c, i - sign*dy, j - sign*dx]}, or {@code fill} where that is outside. */
    private static INDArray shift(INDArray in, ImageShape image, int[] dy, int[] dx, double fill, int sign) {
        double[] source = in.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] target = new double[source.length];
        int h = image.height();
        int w = image.width();
        for (int n = 0; n < dy.length; n++) {
            for (int c = 0; c < image.channels(); c++) {
                int base = (n * image.channels() + c) * h * w;
                for (int i = 0; i < h; i++) {
                    int si = i - sign * dy[n];
                    for (int j = 0; j < w; j++) {
                        int sj = j - sign * dx[n];
                        boolean inside = si >= 0 && si < h && sj >= 0 && sj < w;
                        target[base + i * w + j] = inside ? source[base + si * w + sj] : fill;
                    }
                }
            }
        }
        return Nd4j.create(target, in.shape(), 'c').castTo(in.dataType());
    }

    /** Largest offset each way. */
    public int maxShift() {
        return maxShift;
    }

    @Override
    public String toString() {
        return "random-shift(" + maxShift + ")";
    }
}
