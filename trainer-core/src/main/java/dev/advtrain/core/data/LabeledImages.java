package dev.advtrain.core.data;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable set of labelled images held in memory: {@link #size()} examples of
 * {@code channels x height x width} pixels, each with an integer class label in
 * {@code 0..numClasses-1}.
 *
 * <p>Pixels are stored compactly as unsigned bytes and read as floats in {@code [0, 1]}: byte
 * {@code b} reads as {@code b / 255f}, so 0 is exactly 0 and 255 exactly 1. Within an example the
 * pixel order is channel, row, column (NCHW flattened row-major), the order of
 * {@code InputType.convolutionalFlat}.
 *
 * <p>{@link #first(int)} and {@link #range(int, int)} return views that share the storage, so holding
 * out a validation split costs nothing: {@code train.range(0, 55_000)} and
 * {@code train.range(55_000, 60_000)}.
 */
public final class LabeledImages implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final float[] BYTE_TO_UNIT = byteToUnitTable();

    private final byte[] pixels;
    private final int[] labels;
    private final int offset;
    private final int size;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;

    private LabeledImages(byte[] pixels, int[] labels, int offset, int size, int channels, int height,
            int width, int numClasses) {
        this.pixels = pixels;
        this.labels = labels;
        this.offset = offset;
        this.size = size;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
    }

    /**
     * Builds a set from unsigned pixel bytes and labels; both arrays are copied.
     *
     * @param pixels     {@code labels.length * channels * height * width} unsigned bytes, example after
     *                   example, each in channel, row, column order
     * @param labels     one class per example, each in {@code 0..numClasses-1}
     * @param channels   channels per image, at least 1
     * @param height     rows per image, at least 1
     * @param width      columns per image, at least 1
     * @param numClasses number of classes, at least 1
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range
     */
    public static LabeledImages fromUnsignedBytes(byte[] pixels, int[] labels, int channels, int height,
            int width, int numClasses) {
        return wrap(pixels.clone(), labels.clone(), channels, height, width, numClasses);
    }

    /** Like {@link #fromUnsignedBytes} but takes ownership of the arrays instead of copying them. */
    static LabeledImages wrap(byte[] pixels, int[] labels, int channels, int height, int width,
            int numClasses) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (channels < 1 || height < 1 || width < 1 || numClasses < 1) {
            throw new IllegalArgumentException("bad image shape " + channels + "x" + height + "x" + width
                    + " or class count " + numClasses);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected "
                    + expected + " for " + labels.length + " images of " + channels + "x" + height + "x"
                    + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " at index " + i + " is outside 0.." + (numClasses - 1));
            }
        }
        return new LabeledImages(pixels, labels, 0, labels.length, channels, height, width, numClasses);
    }

    /** Returns the number of examples. */
    public int size() {
        return size;
    }

    /** Returns the number of channels per image. */
    public int channels() {
        return channels;
    }

    /** Returns the image height in pixels. */
    public int height() {
        return height;
    }

    /** Returns the image width in pixels. */
    public int width() {
        return width;
    }

    /** Returns the number of classes; every label lies in {@code 0..numClasses()-1}. */
    public int numClasses() {
        return numClasses;
    }

    /** Returns the number of values in one flattened example, {@code channels * height * width}. */
    public int pixelsPerExample() {
        return channels * height * width;
    }

    /** Returns the class label of example {@code index}. */
    public int label(int index) {
        return labels[offset + Objects.checkIndex(index, size)];
    }

    /** Returns a copy of all labels, in example order. */
    public int[] labels() {
        return Arrays.copyOfRange(labels, offset, offset + size);
    }

    /**
     * Returns pixel {@code pixel} (in channel, row, column order) of example {@code index} as a float
     * in {@code [0, 1]}.
     */
    public float pixel(int index, int pixel) {
        Objects.checkIndex(pixel, pixelsPerExample());
        return BYTE_TO_UNIT[pixels[start(index) + pixel] & 0xFF];
    }

    /** Returns the pixels of example {@code index} as floats in {@code [0, 1]}, in a new array. */
    public float[] pixels(int index) {
        float[] out = new float[pixelsPerExample()];
        copyPixels(index, out, 0);
        return out;
    }

    /**
     * Writes the pixels of example {@code index}, as floats in {@code [0, 1]}, into
     * {@code destination[destinationOffset ..]}.
     */
    public void copyPixels(int index, float[] destination, int destinationOffset) {
        int perExample = pixelsPerExample();
        Objects.checkFromIndexSize(destinationOffset, perExample, destination.length);
        int from = start(index);
        for (int p = 0; p < perExample; p++) {
            destination[destinationOffset + p] = BYTE_TO_UNIT[pixels[from + p] & 0xFF];
        }
    }

    /** Returns a copy of the raw pixel bytes of all examples (unsigned, 0..255), in example order. */
    public byte[] unsignedPixels() {
        int perExample = pixelsPerExample();
        return Arrays.copyOfRange(pixels, offset * perExample, (offset + size) * perExample);
    }

    /** Returns how many examples each class has, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int i = offset; i < offset + size; i++) {
            counts[labels[i]]++;
        }
        return counts;
    }

    /** Returns a view of the first {@code min(count, size())} examples. */
    public LabeledImages first(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        return range(0, Math.min(count, size));
    }

    /**
     * Returns a view of examples {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= size()}
     */
    public LabeledImages range(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        return new LabeledImages(pixels, labels, offset + from, to - from, channels, height, width, numClasses);
    }

    /** Returns a copy of the examples at {@code indices}, in that order. */
    public LabeledImages select(int[] indices) {
        int d = pixelsPerExample();
        byte[] chosen = new byte[indices.length * d];
        int[] chosenLabels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, start(indices[k]), chosen, k * d, d);
            chosenLabels[k] = label(indices[k]);
        }
        return new LabeledImages(chosen, chosenLabels, 0, indices.length, channels, height, width, numClasses);
    }

    @Override
    public String toString() {
        return "LabeledImages[" + size + " x " + channels + "x" + height + "x" + width + ", " + numClasses
                + " classes]";
    }

    private int start(int index) {
        return (offset + Objects.checkIndex(index, size)) * pixelsPerExample();
    }

    private static float[] byteToUnitTable() {
        float[] table = new float[256];
        for (int b = 0; b < table.length; b++) {
            table[b] = b / 255f;
        }
        return table;
    }
}
