package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the IDX format of the original MNIST files: a big-endian header (a magic number that gives
 * the element type and the number of dimensions, then one 32-bit size per dimension) followed by the
 * elements. Images have magic {@code 0x00000803} (unsigned bytes, 3 dimensions: count, rows,
 * columns); labels have {@code 0x00000801} (unsigned bytes, 1 dimension: count).
 *
 * <p>The reader checks the magic number, the dimensions and that the file length matches the header
 * exactly, and reads straight into one {@code byte[]}. A missing, truncated or corrupt file is a
 * {@link UserErrorException} whose message names the file, the problem and what to do, e.g.
 * {@code data/mnist/train-images-idx3-ubyte: truncated: header says 60000 images of 28x28 (47040016
 * bytes) but the file has 1234 bytes: replace it with an intact copy}.
 *
 * <p>Usage: {@code IdxImages images = IdxFile.readImages(dir.resolve("t10k-images-idx3-ubyte"));}.
 * {@link IdxWriter} writes the same format.
 */
public final class IdxFile {

    /** Magic number of an image file: unsigned bytes ({@code 0x08}) in 3 dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a label file: unsigned bytes ({@code 0x08}) in 1 dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Bytes before the first pixel of an image file. */
    public static final int IMAGES_HEADER_BYTES = 16;
    /** Bytes before the first label of a label file. */
    public static final int LABELS_HEADER_BYTES = 8;
    /** The advice attached to a broken file unless the caller gives a better one. */
    public static final String DEFAULT_REMEDY = "replace it with an intact copy";

    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final int UNSIGNED_BYTE_TYPE = 0x08;

    private IdxFile() {
    }

    /** Reads an IDX image file; see {@link #readImages(Path, String)}. */
    public static IdxImages readImages(Path file) {
        return readImages(file, DEFAULT_REMEDY);
    }

    /**
     * Reads an IDX image file.
     *
     * @param file   the file
     * @param remedy what the user should do about a missing or broken file, appended to the message
     * @throws UserErrorException if the file is missing, unreadable, not an IDX image file, truncated
     *                            or longer than its header says
     */
    public static IdxImages readImages(Path file, String remedy) {
        return readImages(file, file.toString(), remedy);
    }

    /** Reads an IDX label file; see {@link #readLabels(Path, String)}. */
    public static byte[] readLabels(Path file) {
        return readLabels(file, DEFAULT_REMEDY);
    }

    /**
     * Reads an IDX label file into one unsigned byte per label (read with {@code b & 0xFF}).
     *
     * @param file   the file
     * @param remedy what the user should do about a missing or broken file, appended to the message
     * @throws UserErrorException if the file is missing, unreadable, not an IDX label file, truncated
     *                            or longer than its header says
     */
    public static byte[] readLabels(Path file, String remedy) {
        return readLabels(file, file.toString(), remedy);
    }

    /**
     * Reads a pair of IDX files, images and their labels, into a {@link LabeledImages} with one
     * channel.
     *
     * @param images     the image file
     * @param labels     the label file
     * @param numClasses the number of classes; every label must lie in {@code 0..numClasses-1}
     * @param remedy     what the user should do about a missing or broken file
     * @throws UserErrorException if either file is broken, the counts differ or a label is out of
     *                            range
     */
    public static LabeledImages readLabeledImages(Path images, Path labels, int numClasses, String remedy) {
        IdxImages imageData = readImages(images, remedy);
        byte[] labelBytes = readLabels(labels, remedy);
        if (imageData.count() != labelBytes.length) {
            throw new UserErrorException(images + " has " + imageData.count() + " images but " + labels
                    + " has " + labelBytes.length + " labels: the two files do not belong together; "
                    + remedy);
        }
        int[] labelInts = new int[labelBytes.length];
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xFF;
            if (label >= numClasses) {
                throw new UserErrorException(labels + ": label " + label + " at index " + i
                        + " is outside 0.." + (numClasses - 1) + "; " + remedy);
            }
            labelInts[i] = label;
        }
        return LabeledImages.wrap(imageData.pixels(), labelInts, 1, imageData.rows(), imageData.cols(),
                numClasses);
    }

    static IdxImages readImages(Path file, String shownAs, String remedy) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = readHeader(channel, size, IMAGES_MAGIC, IMAGES_HEADER_BYTES, shownAs, remedy);
            int count = dimension(header, "image count", shownAs, remedy);
            int rows = dimension(header, "row count", shownAs, remedy);
            int cols = dimension(header, "column count", shownAs, remedy);
            if (rows == 0 || cols == 0) {
                throw broken(shownAs, "corrupt header: images of " + rows + "x" + cols, remedy);
            }
            long pixelCount = (long) count * rows * cols;
            checkLength(size, IMAGES_HEADER_BYTES, pixelCount, count + " images of " + rows + "x" + cols,
                    shownAs, remedy);
            byte[] pixels = new byte[(int) pixelCount];
            readFully(channel, ByteBuffer.wrap(pixels), shownAs, remedy);
            return new IdxImages(count, rows, cols, pixels);
        } catch (NoSuchFileException e) {
            throw new UserErrorException(shownAs + ": file not found; " + remedy, e);
        } catch (IOException e) {
            throw new UserErrorException(shownAs + ": cannot read: " + e.getMessage() + "; " + remedy, e);
        }
    }

    static byte[] readLabels(Path file, String shownAs, String remedy) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = readHeader(channel, size, LABELS_MAGIC, LABELS_HEADER_BYTES, shownAs, remedy);
            int count = dimension(header, "label count", shownAs, remedy);
            checkLength(size, LABELS_HEADER_BYTES, count, count + " labels", shownAs, remedy);
            byte[] labels = new byte[count];
            readFully(channel, ByteBuffer.wrap(labels), shownAs, remedy);
            return labels;
        } catch (NoSuchFileException e) {
            throw new UserErrorException(shownAs + ": file not found; " + remedy, e);
        } catch (IOException e) {
            throw new UserErrorException(shownAs + ": cannot read: " + e.getMessage() + "; " + remedy, e);
        }
    }

    /** Reads and checks the magic number; returns the rest of the header, positioned at the sizes. */
    private static ByteBuffer readHeader(FileChannel channel, long size, int magic, int headerBytes,
            String shownAs, String remedy) throws IOException {
        String kind = magic == IMAGES_MAGIC ? "image" : "label";
        if (size >= 2 && startsWithGzipMagic(channel)) {
            throw broken(shownAs, "is gzip-compressed, expected an uncompressed IDX " + kind + " file",
                    "decompress it first (gunzip)");
        }
        if (size < headerBytes) {
            throw broken(shownAs, "truncated: the file has " + size + " bytes, fewer than the "
                    + headerBytes + "-byte header of an IDX " + kind + " file", remedy);
        }
        ByteBuffer header = ByteBuffer.allocate(headerBytes);
        readFully(channel.position(0), header, shownAs, remedy);
        header.flip();
        int found = header.getInt();
        if (found != magic) {
            throw broken(shownAs, describeWrongMagic(found, magic), remedy);
        }
        return header;
    }

    private static String describeWrongMagic(int found, int expected) {
        String kind = expected == IMAGES_MAGIC ? "image" : "label";
        String got = String.format("magic number 0x%08X", found);
        String want = String.format("expected 0x%08X for an IDX %s file", expected, kind);
        if ((found >>> 16) != 0) {
            return "not an IDX file: " + got + ", " + want;
        }
        if (((found >>> 8) & 0xFF) != UNSIGNED_BYTE_TYPE) {
            return String.format("IDX element type 0x%02X is not unsigned byte (0x08): %s, %s",
                    (found >>> 8) & 0xFF, got, want);
        }
        int dims = found & 0xFF;
        String other = found == IMAGES_MAGIC ? " (it is an image file: are the file names swapped?)"
                : found == LABELS_MAGIC ? " (it is a label file: are the file names swapped?)" : "";
        return "IDX file with " + dims + " dimensions, " + want + other;
    }

    private static boolean startsWithGzipMagic(FileChannel channel) throws IOException {
        ByteBuffer start = ByteBuffer.allocate(2);
        channel.read(start, 0);
        return start.get(0) == (byte) 0x1F && start.get(1) == (byte) 0x8B;
    }

    private static int dimension(ByteBuffer header, String what, String shownAs, String remedy) {
        int value = header.getInt();
        if (value < 0) {
            throw broken(shownAs, "corrupt header: " + what + " " + value + " is negative", remedy);
        }
        return value;
    }

    private static void checkLength(long size, int headerBytes, long elements, String content, String shownAs,
            String remedy) {
        long expected = headerBytes + elements;
        if (elements > MAX_ARRAY_LENGTH) {
            throw broken(shownAs, "header says " + content + " (" + expected
                    + " bytes), more than one array can hold", remedy);
        }
        if (size < expected) {
            throw broken(shownAs, "truncated: header says " + content + " (" + expected
                    + " bytes) but the file has " + size + " bytes", remedy);
        }
        if (size > expected) {
            throw broken(shownAs, "corrupt: header says " + content + " (" + expected
                    + " bytes) but the file has " + size + " bytes", remedy);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer target, String shownAs, String remedy)
            throws IOException {
        while (target.hasRemaining()) {
            if (channel.read(target) < 0) {
                throw broken(shownAs, "truncated while reading (the file shrank?)", remedy);
            }
        }
    }

    private static UserErrorException broken(String shownAs, String problem, String remedy) {
        return new UserErrorException(shownAs + ": " + problem + "; " + remedy);
    }
}
