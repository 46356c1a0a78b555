package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxDatasetTest {

    @TempDir
    Path dir;

    private static IdxImages images(int count, int rows, int cols, long seed) {
        byte[] pixels = new byte[count * rows * cols];
        new SplittableRandom(seed).nextBytes(pixels);
        return new IdxImages(count, rows, cols, pixels);
    }

    private static void gzip(Path file) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(Path.of(file + ".gz")))) {
            out.write(Files.readAllBytes(file));
        }
        Files.delete(file);
    }

    private static int[] ints(byte[] labels) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i] & 0xFF;
        }
        return out;
    }

    private final IdxImages trainImages = images(5, 4, 7, 1);
    private final byte[] trainLabels = {0, 2, 1, 2, 0};
    private final IdxImages testImages = images(3, 4, 7, 2);
    private final byte[] testLabels = {3, 1, 0};

    private void writeAll() throws IOException {
        IdxWriter.writeImages(MnistFile.TRAIN_IMAGES.in(dir), trainImages);
        IdxWriter.writeLabels(MnistFile.TRAIN_LABELS.in(dir), trainLabels);
        IdxWriter.writeImages(MnistFile.TEST_IMAGES.in(dir), testImages);
        IdxWriter.writeLabels(MnistFile.TEST_LABELS.in(dir), testLabels);
    }

    private void assertRoundTrip(ImageDataset data) {
        assertEquals(1, data.train().channels());
        assertEquals(4, data.train().height());
        assertEquals(7, data.train().width());
        assertArrayEquals(trainImages.pixels(), data.train().unsignedPixels());
        assertArrayEquals(ints(trainLabels), data.train().labels());
        assertArrayEquals(testImages.pixels(), data.test().unsignedPixels());
        assertArrayEquals(ints(testLabels), data.test().labels());
    }

    @Test
    void plainFilesRoundTripWithClassesFromTheLargestLabel() throws IOException {
        writeAll();

        ImageDataset data = IdxDataset.load(dir);

        assertRoundTrip(data);
        assertEquals(List.of("0", "1", "2", "3"), data.classNames(), "max label 3 (in the test split) + 1");
    }

    @Test
    void gzipFilesRoundTripAndClassesTxtNamesTheClasses() throws IOException {
        writeAll();
        for (MnistFile file : MnistFile.values()) {
            if (file != MnistFile.TEST_LABELS) {
                gzip(file.in(dir));
            }
        }
        Files.writeString(dir.resolve("classes.txt"), "T-shirt\nTrouser\n\nPullover\nDress\nCoat\n");

        ImageDataset data = IdxDataset.load(dir);

        assertRoundTrip(data);
        assertEquals(List.of("T-shirt", "Trouser", "Pullover", "Dress", "Coat"), data.classNames());
        assertEquals(5, data.train().numClasses());
    }

    private UserErrorException failure() {
        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxDataset.load(dir));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void missingFilesAreListedWithTheExpectedNames() throws IOException {
        writeAll();
        Files.delete(MnistFile.TRAIN_LABELS.in(dir));
        Files.delete(MnistFile.TEST_IMAGES.in(dir));

        String message = failure().getMessage();

        assertTrue(message.startsWith(dir + ": IDX files missing: train-labels-idx1-ubyte[.gz], "
                + "t10k-images-idx3-ubyte[.gz]; expected train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"), message);
    }

    @Test
    void imageSizesMustAgreeBetweenSplits() throws IOException {
        writeAll();
        IdxWriter.writeImages(MnistFile.TEST_IMAGES.in(dir), images(3, 7, 4, 2));
        assertTrue(failure().getMessage().contains("holds images of 4x7 but"));
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        writeAll();
        IdxWriter.writeLabels(MnistFile.TEST_LABELS.in(dir), new byte[] {1, 2});
        assertTrue(failure().getMessage().contains("has 3 images but"));
    }

    @Test
    void corruptGzipIsNamed() throws IOException {
        writeAll();
        gzip(MnistFile.TRAIN_IMAGES.in(dir));
        Path gz = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(bytes, bytes.length / 2));
        assertTrue(failure().getMessage().startsWith(gz + ": cannot decompress"));
    }

    @Test
    void truncatedContentOfAGzipIsNamed() throws IOException {
        writeAll();
        Path images = MnistFile.TEST_IMAGES.in(dir);
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length - 3));
        gzip(images);
        assertTrue(failure().getMessage().startsWith(images + ".gz (decompressed): truncated"));
    }

    @Test
    void classesTxtMustNameEveryLabel() throws IOException {
        writeAll();
        Files.writeString(dir.resolve("classes.txt"), "a\nb\nc\n");
        assertTrue(failure().getMessage().startsWith(dir.resolve("classes.txt") + ": names 3 classes"));
    }
}
