package dev.advtrain.attacks.transform;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random resizing and padding (Xie, Wang, Zhang, Ren and Yuille, "Mitigating Adversarial Effects
 * Through Randomization", ICLR 2018), kept to the input's own size: each image is shrunk to its
 * own random size and put at its own random place on an H x W canvas of a fill value (default 0).
 * The paper enlarges 299 to a random size below 331 and pads to 331; here the canvas is the input
 * size, so the model sees the shape it was trained on.
 *
 * <p>Per example: a height {@code rh} uniform in [minSize, H] and the width that keeps the aspect
 * ratio, {@code rw = max(1, round(rh * W / H))}; then an offset uniform over the places where the
 * {@code rh x rw} image fits. Resizing is bilinear with half-pixel centres (PyTorch's
 * {@code align_corners=False}): output row i samples input row {@code (i + 0.5) * H / rh - 0.5},
 * clamped to the image, and columns alike; there is no antialiasing. At {@code rh = H} this is the identity, so
 * {@code minSize = H} leaves every image as it is.
 *
 * <p>For a fixed draw the transform is affine in x, and backward is its exact transpose: each
 * output pixel's gradient is scattered to the four input pixels it interpolated, with the same
 * weights; the fill gets none.
 *
 * <p>Images come as [N, C, H, W] or as flat rows (see {@link ImageShape#of}), and the output keeps
 * the input's shape and data type.
 *
 * <pre>{@code
 * InputTransform resizePad = new RandomResizePad(24);  // 28x28 MNIST shrunk to 24..28 pixels, zero padding
 * }</pre>
 */
public final class RandomResizePad implements InputTransform {

    private final int minSize;
    private final double fill;
    private final ImageShape shape;

    /** Heights from {@code minSize} up to the image's, zero padding, image shape from the batch. */
    public RandomResizePad(int minSize) {
        this(minSize, 0.0, null);
    }

    /**
     * @param minSize smallest resized height, >= 1 and at most the image's height
     * @param fill value of the canvas around the resized image
     * @param shape the image shape, or null to infer it from each batch (see {@link ImageShape#of})
     */
    public RandomResizePad(int minSize, double fill, ImageShape shape) {
        if (minSize < 1) {
            throw new IllegalArgumentException("minSize must be >= 1, got " + minSize);
        }
        if (shape != null) {
            checkFits(minSize, shape);
        }
        this.minSize = minSize;
        this.fill = fill;
        this.shape = shape;
    }

    private static void checkFits(int minSize, ImageShape image) {
        if (minSize > image.height()) {
            throw new IllegalArgumentException("minSize must be at most the image height " + image.height() + ", got " + minSize);
        }
    }

    @Override
    public Applied apply(INDArray x, SplittableRandom rng) {
        ImageShape image = shape != null ? shape : ImageShape.of(x);
        image.check(x);
        checkFits(minSize, image);
        int n = (int) x.size(0);
        Resize[] draws = new Resize[n];
        for (int e = 0; e < n; e++) {
            int rh = rng.nextInt(minSize, image.height() + 1);
            int rw = Math.max(1, (int) Math.round((double) rh * image.width() / image.height()));
            draws[e] = new Resize(image, rh, rw, rng.nextInt(0, image.height() - rh + 1), rng.nextInt(0, image.width() - rw + 1));
        }
        double[] source = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] target = new double[source.length];
        Arrays.fill(target, fill);
        for (int e = 0; e < n; e++) {
            for (int c = 0; c < image.channels(); c++) {
                draws[e].forward(source, target, (e * image.channels() + c) * image.pixels());
            }
        }
        INDArray output = Nd4j.create(target, x.shape(), 'c').castTo(x.dataType());
        return new Applied(output, g -> {
            double[] outputGradient = g.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] inputGradient = new double[outputGradient.length];
            for (int e = 0; e < n; e++) {
                for (int c = 0; c < image.channels(); c++) {
                    draws[e].backward(outputGradient, inputGradient, (e * image.channels() + c) * image.pixels());
                }
            }
            return Nd4j.create(inputGradient, g.shape(), 'c').castTo(g.dataType());
        });
    }

    /**
     * One drawn resize to rh x rw placed at (top, left): for each output row and column, the two
     * source lines it interpolates and the weight of the second.
     */
    private static final class Resize {

        private final int width;
        private final int top;
        private final int left;
        private final int[] row0;
        private final int[] row1;
        private final double[] rowWeight;
        private final int[] col0;
        private final int[] col1;
        private final double[] colWeight;

        Resize(ImageShape image, int rh, int rw, int top, int left) {
            this.width = image.width();
            this.top = top;
            this.left = left;
            this.row0 = new int[rh];
            this.row1 = new int[rh];
            this.rowWeight = new double[rh];
            this.col0 = new int[rw];
            this.col1 = new int[rw];
            this.colWeight = new double[rw];
            sample(image.height(), row0, row1, rowWeight);
            sample(image.width(), col0, col1, colWeight);
        }

        /** Half-pixel bilinear sampling of {@code from} source lines at {@code lower.length} output lines. */
        private static void sample(int from, int[] lower, int[] upper, double[] weight) {
            double scale = (double) from / lower.length;
            for (int i = 0; i < lower.length; i++) {
                double at = Math.min(Math.max((i + 0.5) * scale - 0.5, 0.0), from - 1);
                lower[i] = (int) Math.floor(at);
                upper[i] = Math.min(lower[i] + 1, from - 1);
                weight[i] = at - lower[i];
            }
        }

        void forward(double[] source, double[] target, int base) {
            for (int i = 0; i < row0.length; i++) {
                int r0 = base + row0[i] * width;
                int r1 = base + row1[i] * width;
                double wy = rowWeight[i];
                int out = base + (top + i) * width + left;
                for (int j = 0; j < col0.length; j++) {
                    double wx = colWeight[j];
                    target[out + j] = (1 - wy) * ((1 - wx) * source[r0 + col0[j]] + wx * source[r0 + col1[j]])
                            + wy * ((1 - wx) * source[r1 + col0[j]] + wx * source[r1 + col1[j]]);
                }
            }
        }

        void backward(double[] outputGradient, double[] inputGradient, int base) {
            for (int i = 0; i < row0.length; i++) {
                int r0 = base + row0[i] * width;
                int r1 = base + row1[i] * width;
                double wy = rowWeight[i];
                int out = base + (top + i) * width + left;
                for (int j = 0; j < col0.length; j++) {
                    double wx = colWeight[j];
                    double g = outputGradient[out + j];
                    inputGradient[r0 + col0[j]] += (1 - wy) * (1 - wx) * g;
                    inputGradient[r0 + col1[j]] += (1 - wy) * wx * g;
                    inputGradient[r1 + col0[j]] += wy * (1 - wx) * g;
                    inputGradient[r1 + col1[j]] += wy * wx * g;
                }
            }
        }
    }

    /** Smallest resized height. */
    public int minSize() {
        return minSize;
    }

    @Override
    public String toString() {
        return "random-resize-pad(" + minSize + ")";
    }
}
