package dev.advtrain.attacks.transform;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The geometry of one image, channels first (NCHW, DL4J's default): what spatial transforms and
 * patches need to know about a batch, whether it comes as [N, C, H, W] or as flat rows [N, C*H*W].
 *
 * @param channels C
 * @param height H
 * @param width W
 */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
    }

    /**
     * The shape of a batch's images: [N, C, H, W] as given; flat rows [N, D] as square images,
     * one channel when D is a square, else three channels (channels first) when D / 3 is one.
     * Anything else needs the shape given explicitly.
     */
    public static ImageShape of(INDArray x) {
        if (x.rank() == 4) {
            return new ImageShape((int) x.size(1), (int) x.size(2), (int) x.size(3));
        }
        if (x.rank() == 2) {
            long d = x.size(1);
            for (int channels : new int[] {1, 3}) {
                long side = Math.round(Math.sqrt((double) d / channels));
                if (side * side * channels == d) {
                    return new ImageShape(channels, (int) side, (int) side);
                }
            }
            throw new IllegalArgumentException("cannot tell the image shape of rows of " + d
                    + " values (neither C*S*S with C = 1 nor 3): give the image shape explicitly");
        }
        throw new IllegalArgumentException("expected images [N, C, H, W] or flat rows [N, D], got rank " + x.rank());
    }

    /** H * W. */
    public int pixels() {
        return height * width;
    }

    /** C * H * W: values per example. */
    public int values() {
        return channels * height * width;
    }

    /** Throws IllegalArgumentException unless each example of {@code x} holds exactly this many values. */
    public void check(INDArray x) {
        if (x.length() != x.size(0) * (long) values()) {
            throw new IllegalArgumentException("examples of " + x.length() / Math.max(1, x.size(0))
                    + " values are not " + channels + "x" + height + "x" + width + " images");
        }
    }
}
