package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Cifar10FilesTest {

    private static final int PIXELS = Cifar10Files.RECORD_BYTES - 1;

    @TempDir
    Path dir;

    /** Writes {@code count} random records with labels {@code first, first + 1, ...} (mod 10); returns them. */
    private static byte[] writeBatch(Path file, int count, int first, long seed) throws IOException {
        byte[] bytes = new byte[count * Cifar10Files.RECORD_BYTES];
        new SplittableRandom(seed).nextBytes(bytes);
        for (int r = 0; r < count; r++) {
            bytes[r * Cifar10Files.RECORD_BYTES] = (byte) ((first + r) % 10);
        }
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return bytes;
    }

    private static void assertHolds(LabeledImages images, List<byte[]> batches) {
        List<Integer> labels = new ArrayList<>();
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        for (byte[] batch : batches) {
            for (int start = 0; start < batch.length; start += Cifar10Files.RECORD_BYTES) {
                labels.add(batch[start] & 0xFF);
                pixels.write(batch, start + 1, PIXELS);
            }
        }
        assertArrayEquals(labels.stream().mapToInt(Integer::intValue).toArray(), images.labels());
        assertArrayEquals(pixels.toByteArray(), images.unsignedPixels());
    }

    @Test
    void batchesRoundTripExactly() throws IOException {
        byte[] one = writeBatch(dir.resolve("data_batch_1.bin"), 3, 0, 1);
        byte[] three = writeBatch(dir.resolve("data_batch_3.bin"), 4, 3, 2);
        byte[] test = writeBatch(dir.resolve("test_batch.bin"), 2, 9, 3);

        ImageDataset cifar = Cifar10Files.load(dir);

        assertEquals(7, cifar.train().size());
        assertEquals(2, cifar.test().size());
        assertEquals(3, cifar.train().channels());
        assertEquals(32, cifar.train().height());
        assertEquals(32, cifar.train().width());
        assertEquals(Cifar10Files.CLASS_NAMES, cifar.classNames());
        assertHolds(cifar.train(), List.of(one, three));
        assertHolds(cifar.test(), List.of(test));
    }

    @Test
    void redPlaneComesFirst() throws IOException {
        byte[] record = new byte[Cifar10Files.RECORD_BYTES];
        record[0] = 6;
        Arrays.fill(record, 1, 1 + 1024, (byte) 255);
        Files.write(dir.resolve("data_batch_1.bin"), record);
        Files.write(dir.resolve("test_batch.bin"), record);

        LabeledImages train = Cifar10Files.load(dir).train();

        assertEquals(6, train.label(0));
        assertEquals(1f, train.pixel(0, 0));
        assertEquals(1f, train.pixel(0, 1023));
        assertEquals(0f, train.pixel(0, 1024), "green plane");
        assertEquals(0f, train.pixel(0, 2048), "blue plane");
    }

    @Test
    void acceptsTheParentOfTheBatchesDirectoryAndReadsClassNames() throws IOException {
        Path batches = dir.resolve(Cifar10Files.BATCHES_DIR);
        writeBatch(batches.resolve("data_batch_2.bin"), 2, 0, 1);
        writeBatch(batches.resolve("test_batch.bin"), 1, 0, 2);
        Files.writeString(batches.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");

        ImageDataset cifar = Cifar10Files.load(dir);

        assertEquals(2, cifar.train().size());
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), cifar.classNames());
    }

    private UserErrorException failure() {
        UserErrorException e = assertThrows(UserErrorException.class, () -> Cifar10Files.load(dir));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void lengthNotAMultipleOfTheRecordIsNamed() throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 2, 0, 1);
        writeBatch(dir.resolve("test_batch.bin"), 1, 0, 2);
        Files.write(dir.resolve("data_batch_2.bin"), new byte[Cifar10Files.RECORD_BYTES + 5]);
        assertTrue(failure().getMessage().startsWith(dir.resolve("data_batch_2.bin") + ": 3078 bytes is not"));
    }

    @Test
    void labelAboveNineIsNamed() throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 2, 0, 1);
        byte[] test = writeBatch(dir.resolve("test_batch.bin"), 2, 0, 2);
        test[Cifar10Files.RECORD_BYTES] = 10;
        Files.write(dir.resolve("test_batch.bin"), test);
        assertTrue(failure().getMessage().startsWith(dir.resolve("test_batch.bin") + ": label 10 in record 1"));
    }

    @Test
    void testBatchIsRequired() throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 2, 0, 1);
        assertTrue(failure().getMessage().startsWith(dir.resolve("test_batch.bin") + ": file not found"));
    }

    @Test
    void aTrainingBatchIsRequired() throws IOException {
        writeBatch(dir.resolve("test_batch.bin"), 2, 0, 1);
        assertTrue(failure().getMessage().contains("no CIFAR-10 training batch"));
    }

    @Test
    void missingDirectoryIsNamed() {
        dir = dir.resolve("absent");
        assertTrue(failure().getMessage().startsWith(dir + ": directory not found"));
    }

    @Test
    void metaFileWithTheWrongNumberOfNamesIsNamed() throws IOException {
        writeBatch(dir.resolve("data_batch_1.bin"), 2, 0, 1);
        writeBatch(dir.resolve("test_batch.bin"), 1, 0, 2);
        Files.writeString(dir.resolve("batches.meta.txt"), "cat\ndog\n");
        assertTrue(failure().getMessage().startsWith(dir.resolve("batches.meta.txt") + ": has 2 class names"));
    }
}
