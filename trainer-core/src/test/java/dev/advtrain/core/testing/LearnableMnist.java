package dev.advtrain.core.testing;

import dev.advtrain.core.data.IdxImages;
import dev.advtrain.core.data.IdxWriter;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.data.MnistFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * MNIST-shaped IDX files (60,000 + 10,000 images of 28x28, the counts MNIST loading checks) with a
 * task a small network learns in a few dozen batches: class {@code c} is a bright horizontal band
 * at rows {@code 4+2c .. 5+2c} over dim noise. Learnable, and breakable by an attack with eps
 * around 0.3, so training and evaluation code have real signal to work with in tests.
 */
public final class LearnableMnist {

    private static Path shared;

    private LearnableMnist() {
    }

    /** Writes the four files into {@code dir}. */
    public static Path writeAll(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir, MnistFile.TRAIN_IMAGES, MnistFile.TRAIN_LABELS, 1);
        write(dir, MnistFile.TEST_IMAGES, MnistFile.TEST_LABELS, 2);
        return dir;
    }

    /**
     * The four files written once per JVM into a temporary folder that is deleted when the JVM
     * exits: for the tests that train whole runs on them and only read them.
     */
    public static synchronized Path sharedFiles() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("advtrain-learnable-mnist");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                shared = writeAll(dir.resolve("mnist"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }

    /** {@code count} images of the task, in memory. */
    public static LabeledImages images(int count, long seed) {
        byte[] pixels = new byte[count * MnistFile.ROWS * MnistFile.COLS];
        byte[] labels = new byte[count];
        fill(pixels, labels, seed);
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = labels[i];
        }
        return LabeledImages.fromUnsignedBytes(pixels, classes, 1, MnistFile.ROWS, MnistFile.COLS, MnistFile.NUM_CLASSES);
    }

    private static void write(Path dir, MnistFile imagesFile, MnistFile labelsFile, long seed) throws IOException {
        int count = imagesFile.expectedCount();
        byte[] pixels = new byte[count * MnistFile.ROWS * MnistFile.COLS];
        byte[] labels = new byte[count];
        fill(pixels, labels, seed);
        IdxWriter.writeImages(imagesFile.in(dir), new IdxImages(count, MnistFile.ROWS, MnistFile.COLS, pixels));
        IdxWriter.writeLabels(labelsFile.in(dir), labels);
    }

    private static void fill(byte[] pixels, byte[] labels, long seed) {
        int count = labels.length;
        int rows = MnistFile.ROWS;
        int cols = MnistFile.COLS;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int label = rng.nextInt(MnistFile.NUM_CLASSES);
            labels[i] = (byte) label;
            for (int r = 0; r < rows; r++) {
                boolean band = r == 4 + 2 * label || r == 5 + 2 * label;
                for (int c = 0; c < cols; c++) {
                    int value = band ? 170 + rng.nextInt(80) : rng.nextInt(60);
                    pixels[(i * rows + r) * cols + c] = (byte) value;
                }
            }
        }
    }
}
