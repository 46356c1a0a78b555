package dev.advtrain.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.DatasetName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detecting a dataset directory ({@link ImageDataset#detect}) and loading its test images ({@link TestSet}). */
class TestSetTest {

    @TempDir
    Path dir;

    /** Writes {@code count} random CIFAR-10 records with labels 0, 1, 2, ... (mod 10); returns their labels. */
    private static int[] writeCifarBatch(Path file, int count, long seed) throws IOException {
        byte[] bytes = new byte[count * Cifar10Files.RECORD_BYTES];
        new SplittableRandom(seed).nextBytes(bytes);
        int[] labels = new int[count];
        for (int r = 0; r < count; r++) {
            labels[r] = r % 10;
            bytes[r * Cifar10Files.RECORD_BYTES] = (byte) labels[r];
        }
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return labels;
    }

    @Test
    void detectsEachKindOfDataDirectoryByItsFiles() throws IOException {
        Path cifar = Files.createDirectories(dir.resolve("cifar/cifar-10-batches-bin"));
        Files.write(cifar.resolve("test_batch.bin"), new byte[0]);
        assertEquals(DatasetName.CIFAR10, ImageDataset.detect(dir.resolve("cifar")));
        assertEquals(DatasetName.CIFAR10, ImageDataset.detect(cifar));

        Path fashion = Files.createDirectories(dir.resolve("fashion"));
        Files.write(fashion.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
        assertEquals(DatasetName.IDX, ImageDataset.detect(fashion));

        Path folder = Files.createDirectories(dir.resolve("folder/cats"));
        Files.createDirectories(dir.resolve("folder/dogs"));
        assertEquals(DatasetName.FOLDER, ImageDataset.detect(folder.getParent()));
    }

    @Test
    void aDirectoryWithoutADatasetIsAOneLineError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "nothing here");
        UserErrorException none = assertThrows(UserErrorException.class, () -> ImageDataset.detect(empty));
        assertTrue(none.getMessage().startsWith("no dataset found in " + empty + ": expected CIFAR-10 binary files"),
                none.getMessage());
        assertEquals("data directory not found: " + dir.resolve("missing"),
                assertThrows(UserErrorException.class, () -> ImageDataset.detect(dir.resolve("missing"))).getMessage());
        assertEquals(none.getMessage(), assertThrows(UserErrorException.class, () -> TestSet.load(empty, 1, 28, 28))
                .getMessage());
    }

    @Test
    void cifarNeedsOnlyItsTestBatch() throws IOException {
        Path cifar = dir.resolve("cifar");
        int[] labels = writeCifarBatch(cifar.resolve(Cifar10Files.BATCHES_DIR).resolve(Cifar10Files.TEST_BATCH), 12, 3);

        TestSet test = TestSet.load(cifar, 1, 5, 5);

        assertEquals(DatasetName.CIFAR10, test.kind());
        assertArrayEquals(labels, test.images().labels());
        assertEquals(3, test.images().channels(), "the folder shape does not apply to CIFAR-10");
        assertEquals(32, test.images().height());
        assertEquals(Cifar10Files.CLASS_NAMES, test.classNames());
        assertEquals(test.classNames(), TestSet.loadOrFetchMnist(cifar, 1, 28, 28).classNames(),
                "the default directory may hold CIFAR-10");
    }

    @Test
    void idxUsesTheT10kFilesAndCountsClassesOverBothSplits() throws IOException {
        Path idx = Files.createDirectories(dir.resolve("idx"));
        byte[] pixels = new byte[3 * 4 * 5];
        new SplittableRandom(1).nextBytes(pixels);
        IdxWriter.writeImages(MnistFile.TEST_IMAGES.in(idx), new IdxImages(3, 4, 5, pixels));
        IdxWriter.writeLabels(MnistFile.TEST_LABELS.in(idx), new byte[] {0, 2, 1});
        assertEquals(DatasetName.IDX, ImageDataset.detect(idx), "the test files alone are an IDX dataset");
        assertEquals(List.of("0", "1", "2"), TestSet.load(idx, 1, 28, 28).classNames(),
                "no training files: the test labels alone count the classes");

        IdxWriter.writeImages(MnistFile.TRAIN_IMAGES.in(idx), new IdxImages(1, 4, 5, new byte[20]));
        IdxWriter.writeLabels(MnistFile.TRAIN_LABELS.in(idx), new byte[] {4});
        TestSet test = TestSet.load(idx, 1, 28, 28);
        assertEquals(DatasetName.IDX, test.kind());
        assertEquals(5, test.images().numClasses(), "label 4 of the training split counts");
        assertArrayEquals(new int[] {0, 2, 1}, test.images().labels());
        assertArrayEquals(pixels, test.images().unsignedPixels());

        Files.delete(MnistFile.TEST_LABELS.in(idx));
        UserErrorException missing = assertThrows(UserErrorException.class, () -> TestSet.load(idx, 1, 28, 28));
        assertTrue(missing.getMessage().contains("t10k-labels-idx1-ubyte[.gz]"), missing.getMessage());
    }

    @Test
    void anImageFolderIsReadWholeAtTheGivenShape() throws IOException {
        Path folder = dir.resolve("folder");
        List<String> names = ImageFolderFixture.write(folder, 3, 4, 9, 2);

        TestSet test = TestSet.load(folder, 3, 6, 5);

        assertEquals(DatasetName.FOLDER, test.kind());
        assertEquals(names, test.classNames());
        assertEquals(12, test.images().size(), "every image, no split");
        assertArrayEquals(new int[] {4, 4, 4}, test.images().classCounts());
        assertTrue(java.util.Arrays.stream(test.images().first(6).classCounts()).allMatch(n -> n > 0),
                "the first images mix the classes: " + java.util.Arrays.toString(test.images().labels()));
        assertArrayEquals(test.images().labels(), TestSet.load(folder, 3, 6, 5).images().labels(), "the same order every time");
        assertEquals(List.of(3, 6, 5), List.of(test.images().channels(), test.images().height(), test.images().width()));
    }
}
