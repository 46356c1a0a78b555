package dev.advtrain.core.data;

import java.util.SplittableRandom;

/**
 * Tiny in-memory image sets for tests. In {@link #indexed} sets every example carries its own index
 * in its first two pixels, so a test can tell from a batch which examples it holds.
 */
public final class SyntheticImages {

    private SyntheticImages() {
    }

    /**
     * Returns {@code n} examples of {@code channels x height x width} (at least 2 pixels); example
     * {@code i} has label {@code i % numClasses}, pixel 0 = {@code i & 0xFF}, pixel 1 =
     * {@code (i >>> 8) & 0xFF} and seeded pseudo-random other pixels.
     */
    public static LabeledImages indexed(int n, int channels, int height, int width, int numClasses, long seed) {
        int perExample = channels * height * width;
        if (perExample < 2 || n > 1 << 16) {
            throw new IllegalArgumentException("need >= 2 pixels and <= 65536 examples");
        }
        byte[] pixels = new byte[n * perExample];
        new SplittableRandom(seed).nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i * perExample] = (byte) i;
            pixels[i * perExample + 1] = (byte) (i >>> 8);
            labels[i] = i % numClasses;
        }
        return LabeledImages.fromUnsignedBytes(pixels, labels, channels, height, width, numClasses);
    }

    /** Recovers the example index written by {@link #indexed} from a flattened example's pixels. */
    public static int indexOf(float pixel0, float pixel1) {
        return Math.round(pixel0 * 255f) | Math.round(pixel1 * 255f) << 8;
    }
}
