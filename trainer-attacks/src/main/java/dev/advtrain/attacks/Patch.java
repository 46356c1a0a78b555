package dev.advtrain.attacks;

import dev.advtrain.attacks.transform.ImageShape;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A printable adversarial patch, {@link #pixels()} [C, side, side], with the distribution of
 * placements it was made for: see {@link AdversarialPatch}, which trains one.
 *
 * <p>{@link #apply} pastes it into every image of a batch at its own random placement: a scale in
 * [minScale, maxScale] of the patch's full size, a rotation in [-maxRotation, maxRotation] degrees
 * and a centre chosen so that the unrotated patch lies inside the image. Placement is an inverse
 * map: each image pixel whose centre falls inside the rotated, scaled square takes the value of
 * the patch pixel it lands on (nearest neighbour). The forward pass is thus a gather, and the
 * patch's gradient the exact scatter-add of the image gradient over the covered pixels. Where a
 * rotation makes the patch cover more than {@code maxShare} of the image's pixels, its scale
 * shrinks (by 10% at a time) until it does not, so no placement breaks the L0 threat model.
 */
public final class Patch {

    /**
     * Where and how a patch may be placed.
     *
     * @param minScale smallest scale of the patch's full size, in (0, maxScale]
     * @param maxScale largest scale, at most 1
     * @param maxRotationDegrees largest rotation either way
     * @param maxShare the largest share of an image's pixels a placed patch may cover (0: no patch;
     *     the attack then returns its input)
     */
    public record Placement(double minScale, double maxScale, double maxRotationDegrees, double maxShare) {
        public Placement {
            if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1)) {
                throw new IllegalArgumentException("need 0 < minScale <= maxScale <= 1, got " + minScale + ", " + maxScale);
            }
            if (!(maxRotationDegrees >= 0 && maxRotationDegrees <= 180)) {
                throw new IllegalArgumentException("maxRotationDegrees must be in [0, 180], got " + maxRotationDegrees);
            }
            if (!(maxShare >= 0 && maxShare <= 1)) {
                throw new IllegalArgumentException("maxShare must be in [0, 1], got " + maxShare);
            }
        }

        /** Side in pixels of a full-size patch covering at most {@code maxShare} of such images. */
        public int side(ImageShape image) {
            int side = (int) Math.floor(Math.sqrt(maxShare * image.pixels()) + 1e-9);
            if (side < 1) {
                throw new IllegalArgumentException("a patch of share " + maxShare + " is smaller than one pixel of "
                        + image.height() + "x" + image.width() + " images");
            }
            return side;
        }
    }

    /** A batch with the patch pasted in, and the masks (1 where the patch is), both shaped like the batch. */
    public record Patched(INDArray images, INDArray masks) {
    }

    /** One batch's placements: for each example and image pixel, the patch pixel it shows, or -1. */
    record Placed(INDArray images, INDArray masks, int[][] sources) {
    }

    private final INDArray pixels;
    private final Placement placement;

    /**
     * @param pixels [C, side, side], a copy is kept
     * @param placement how it is placed
     */
    public Patch(INDArray pixels, Placement placement) {
        if (pixels.rank() != 3 || pixels.size(1) != pixels.size(2)) {
            throw new IllegalArgumentException("patch pixels must be [C, side, side]");
        }
        this.pixels = pixels.dup('c');
        this.placement = placement;
    }

    /** The printable image, [C, side, side] (a copy). */
    public INDArray pixels() {
        return pixels.dup();
    }

    /** Where and how the patch is placed. */
    public Placement placement() {
        return placement;
    }

    /** Pastes the patch into each image at a random placement drawn from {@code rng}. */
    public Patched apply(INDArray x, SplittableRandom rng) {
        Placed placed = place(x, ImageShape.of(x), rng);
        return new Patched(placed.images(), placed.masks());
    }

    /** {@link #apply} with the image shape given (flat rows that {@link ImageShape#of} cannot read). */
    public Patched apply(INDArray x, ImageShape image, SplittableRandom rng) {
        Placed placed = place(x, image, rng);
        return new Patched(placed.images(), placed.masks());
    }

    Placed place(INDArray x, ImageShape image, SplittableRandom rng) {
        image.check(x);
        if (image.channels() != pixels.size(0)) {
            throw new IllegalArgumentException("a " + pixels.size(0) + "-channel patch for " + image.channels() + "-channel images");
        }
        int n = (int) x.size(0);
        int hw = image.pixels();
        int side = (int) pixels.size(1);
        double[] values = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] mask = new double[values.length];
        double[] patch = pixels.castTo(DataType.DOUBLE).data().asDouble();
        int[][] sources = new int[n][];
        for (int e = 0; e < n; e++) {
            sources[e] = inverseMap(image, side, rng);
            for (int q = 0; q < hw; q++) {
                int source = sources[e][q];
                for (int c = 0; source >= 0 && c < image.channels(); c++) {
                    int at = (e * image.channels() + c) * hw + q;
                    values[at] = patch[c * side * side + source];
                    mask[at] = 1.0;
                }
            }
        }
        return new Placed(Nd4j.create(values, x.shape(), 'c').castTo(x.dataType()),
                Nd4j.create(mask, x.shape(), 'c').castTo(x.dataType()), sources);
    }

    /** The patch's gradient: the image gradient summed over every pixel that showed each patch pixel. */
    INDArray scatter(INDArray imageGradient, Placed placed, ImageShape image) {
        double[] g = imageGradient.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int side = (int) pixels.size(1);
        int hw = image.pixels();
        double[] sum = new double[(int) pixels.length()];
        for (int e = 0; e < placed.sources().length; e++) {
            for (int q = 0; q < hw; q++) {
                int source = placed.sources()[e][q];
                for (int c = 0; source >= 0 && c < image.channels(); c++) {
                    sum[c * side * side + source] += g[(e * image.channels() + c) * hw + q];
                }
            }
        }
        return Nd4j.create(sum, pixels.shape(), 'c').castTo(pixels.dataType());
    }

    /** One random placement: per image pixel, the patch pixel it shows, or -1. */
    private int[] inverseMap(ImageShape image, int side, SplittableRandom rng) {
        double scale = placement.minScale() + (placement.maxScale() - placement.minScale()) * rng.nextDouble();
        double angle = Math.toRadians((2 * rng.nextDouble() - 1) * placement.maxRotationDegrees());
        double extent = scale * side;
        double cy = centre(extent, image.height(), rng);
        double cx = centre(extent, image.width(), rng);
        int budget = (int) Math.floor(placement.maxShare() * image.pixels() + 1e-9);
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        while (true) {
            int[] map = new int[image.pixels()];
            int covered = 0;
            for (int i = 0; i < image.height(); i++) {
                for (int j = 0; j < image.width(); j++) {
                    double dy = i + 0.5 - cy;
                    double dx = j + 0.5 - cx;
                    double u = (cos * dy + sin * dx) / scale + side / 2.0;
                    double v = (-sin * dy + cos * dx) / scale + side / 2.0;
                    boolean inside = u >= 0 && u < side && v >= 0 && v < side;
                    map[i * image.width() + j] = inside ? (int) u * side + (int) v : -1;
                    covered += inside ? 1 : 0;
                }
            }
            if (covered <= budget) {
                return map;
            }
            scale *= 0.9;
        }
    }

    private static double centre(double extent, int length, SplittableRandom rng) {
        return extent >= length ? length / 2.0 : extent / 2.0 + rng.nextDouble() * (length - extent);
    }
}
