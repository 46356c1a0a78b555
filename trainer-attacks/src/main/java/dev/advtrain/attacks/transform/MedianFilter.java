package dev.advtrain.attacks.transform;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Median smoothing (the spatial smoothing squeezer of Xu, Evans and Qi, "Feature Squeezing", NDSS
 * 2018): each pixel becomes the median of the {@code size x size} window centred on it, each
 * channel on its own. At the image's edges the window is filled by replicate padding (the nearest
 * edge pixel repeats). Deterministic. Only odd sizes, so the window has a centre and one median.
 *
 * <p>Backward is the exact vector-Jacobian product almost everywhere: each output pixel is one of
 * its window's input pixels, so its gradient goes to that pixel. The window is read in row-major
 * order and sorted stably; the pixel at the middle of that order is the median, so among equal
 * values the choice is fixed by window order.
 *
 * <p>Images come as [N, C, H, W] or as flat rows (see {@link ImageShape#of}), and the output keeps
 * the input's shape and data type.
 *
 * <pre>{@code
 * InputTransform smooth = new MedianFilter(3);  // 3x3 median, as in feature squeezing
 * }</pre>
 */
public final class MedianFilter implements InputTransform {

    private final int size;
    private final ImageShape shape;

    /** A {@code size x size} median, image shape from the batch. */
    public MedianFilter(int size) {
        this(size, null);
    }

    /**
     * @param size the window's side, odd and >= 1 (1 is the identity)
     * @param shape the image shape, or null to infer it from each batch (see {@link ImageShape#of})
     */
    public MedianFilter(int size, ImageShape shape) {
        if (size < 1 || size % 2 == 0) {
            throw new IllegalArgumentException("size must be odd and >= 1, got " + size);
        }
        this.size = size;
        this.shape = shape;
    }

    @Override
    public Applied apply(INDArray x, SplittableRandom rng) {
        ImageShape image = shape != null ? shape : ImageShape.of(x);
        image.check(x);
        double[] source = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] target = new double[source.length];
        int[] selected = new int[source.length];
        int h = image.height();
        int w = image.width();
        int half = size / 2;
        int window = size * size;
        double[] values = new double[window];
        int[] from = new int[window];
        for (int base = 0; base < source.length; base += image.pixels()) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    // Insertion sort of the window in row-major order: stable, and fast for 9 or 25 values.
                    int filled = 0;
                    for (int di = -half; di <= half; di++) {
                        int row = Math.min(Math.max(i + di, 0), h - 1);
                        for (int dj = -half; dj <= half; dj++) {
                            int index = base + row * w + Math.min(Math.max(j + dj, 0), w - 1);
                            double value = source[index];
                            int k = filled++;
                            while (k > 0 && values[k - 1] > value) {
                                values[k] = values[k - 1];
                                from[k] = from[k - 1];
                                k--;
                            }
                            values[k] = value;
                            from[k] = index;
                        }
                    }
                    target[base + i * w + j] = values[window / 2];
                    selected[base + i * w + j] = from[window / 2];
                }
            }
        }
        INDArray output = Nd4j.create(target, x.shape(), 'c').castTo(x.dataType());
        return new Applied(output, g -> {
            double[] outputGradient = g.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] inputGradient = new double[outputGradient.length];
            for (int o = 0; o < outputGradient.length; o++) {
                inputGradient[selected[o]] += outputGradient[o];
            }
            return Nd4j.create(inputGradient, g.shape(), 'c').castTo(g.dataType());
        });
    }

    /** The window's side. */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "median-filter(" + size + ")";
    }
}
