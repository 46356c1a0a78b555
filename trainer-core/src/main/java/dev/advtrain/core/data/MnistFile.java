package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The four uncompressed IDX files of the original MNIST distribution, their names in the data
 * directory and what each must hold: 60,000 training and 10,000 test images of 28x28 with labels
 * 0..9.
 */
public enum MnistFile {

    /** The 60,000 training images. */
    TRAIN_IMAGES("train-images-idx3-ubyte", 60_000),
    /** The labels of the training images. */
    TRAIN_LABELS("train-labels-idx1-ubyte", 60_000),
    /** The 10,000 test images. */
    TEST_IMAGES("t10k-images-idx3-ubyte", 10_000),
    /** The labels of the test images. */
    TEST_LABELS("t10k-labels-idx1-ubyte", 10_000);

    /** Height of an MNIST image. */
    public static final int ROWS = 28;
    /** Width of an MNIST image. */
    public static final int COLS = 28;
    /** Number of MNIST classes (the digits 0..9). */
    public static final int NUM_CLASSES = 10;

    private final String fileName;
    private final int expectedCount;

    MnistFile(String fileName, int expectedCount) {
        this.fileName = fileName;
        this.expectedCount = expectedCount;
    }

    /** Returns the file name in the data directory, e.g. {@code train-images-idx3-ubyte}. */
    public String fileName() {
        return fileName;
    }

    /** Returns how many images or labels the file holds. */
    public int expectedCount() {
        return expectedCount;
    }

    /** Returns whether this is an image file (otherwise it is a label file). */
    public boolean holdsImages() {
        return this == TRAIN_IMAGES || this == TEST_IMAGES;
    }

    /** Returns this file's path in {@code dir}. */
    public Path in(Path dir) {
        return dir.resolve(fileName);
    }

    /** Returns the files absent from {@code dir} (all four if it does not exist), in declaration order. */
    public static List<MnistFile> missingIn(Path dir) {
        List<MnistFile> missing = new ArrayList<>();
        for (MnistFile file : values()) {
            if (!Files.exists(file.in(dir))) {
                missing.add(file);
            }
        }
        return missing;
    }

    /** Returns the four file names separated by commas, for messages. */
    public static String allNames() {
        return names(Arrays.asList(values()));
    }

    /** Returns the names of {@code files} separated by commas, for messages. */
    public static String names(List<MnistFile> files) {
        return files.stream().map(MnistFile::fileName).collect(Collectors.joining(", "));
    }

    /**
     * Checks that {@code file} is an intact IDX file with this part of MNIST: the right magic number,
     * length, count, 28x28 images or labels 0..9.
     *
     * @param file    the file to check (may be a temporary copy)
     * @param shownAs how messages name the file
     * @param remedy  what the user should do if it is broken
     * @throws UserErrorException if it is not
     */
    void verify(Path file, String shownAs, String remedy) {
        if (holdsImages()) {
            IdxImages images = IdxFile.readImages(file, shownAs, remedy);
            checkImages(images.count(), images.rows(), images.cols(), shownAs, remedy);
        } else {
            byte[] labels = IdxFile.readLabels(file, shownAs, remedy);
            checkCount(labels.length, "labels", shownAs, remedy);
            for (int i = 0; i < labels.length; i++) {
                if ((labels[i] & 0xFF) >= NUM_CLASSES) {
                    throw new UserErrorException(shownAs + ": label " + (labels[i] & 0xFF) + " at index " + i
                            + " is outside 0.." + (NUM_CLASSES - 1) + "; " + remedy);
                }
            }
        }
    }

    /** Checks the shape of a loaded image set against this (image) file's expectations. */
    void checkImages(int count, int rows, int cols, String shownAs, String remedy) {
        if (rows != ROWS || cols != COLS) {
            throw new UserErrorException(shownAs + ": images are " + rows + "x" + cols + ", expected "
                    + ROWS + "x" + COLS + " for MNIST; " + remedy);
        }
        checkCount(count, "images", shownAs, remedy);
    }

    private void checkCount(int count, String what, String shownAs, String remedy) {
        if (count != expectedCount) {
            throw new UserErrorException(shownAs + ": has " + count + " " + what + ", expected "
                    + expectedCount + " for MNIST; " + remedy);
        }
    }
}
