package dev.advtrain.core.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes IDX image and label files in the layout {@link IdxFile} reads (the original MNIST format):
 * the big-endian header, then the unsigned bytes. Tests and fixtures use it to make tiny datasets.
 *
 * <p>Usage: {@code IdxWriter.writeImages(dir.resolve("train-images-idx3-ubyte"), images);
 * IdxWriter.writeLabels(dir.resolve("train-labels-idx1-ubyte"), labels);}. An existing file is
 * replaced.
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * Writes an IDX image file (magic {@code 0x00000803}).
     *
     * @throws IOException if the file cannot be written
     */
    public static void writeImages(Path file, IdxImages images) throws IOException {
        try (DataOutputStream out = open(file)) {
            out.writeInt(IdxFile.IMAGES_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.cols());
            out.write(images.pixels());
        }
    }

    /**
     * Writes an IDX label file (magic {@code 0x00000801}), one unsigned byte per label.
     *
     * @throws IOException if the file cannot be written
     */
    public static void writeLabels(Path file, byte[] labels) throws IOException {
        try (DataOutputStream out = open(file)) {
            out.writeInt(IdxFile.LABELS_MAGIC);
            out.writeInt(labels.length);
            out.write(labels);
        }
    }

    /**
     * Writes the images and labels of a one-channel {@link LabeledImages} as a pair of IDX files,
     * turning every pixel back into its byte.
     *
     * @throws IllegalArgumentException if the images have more than one channel or more than 256
     *                                  classes
     * @throws IOException              if a file cannot be written
     */
    public static void write(LabeledImages data, Path imagesFile, Path labelsFile) throws IOException {
        if (data.channels() != 1 || data.numClasses() > 256) {
            throw new IllegalArgumentException("IDX holds one channel and labels 0..255, not " + data);
        }
        byte[] labels = new byte[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) data.label(i);
        }
        writeImages(imagesFile, new IdxImages(data.size(), data.height(), data.width(), data.unsignedPixels()));
        writeLabels(labelsFile, labels);
    }

    private static DataOutputStream open(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    }
}
