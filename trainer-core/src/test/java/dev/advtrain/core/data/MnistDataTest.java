package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDataTest {

    @TempDir
    static Path fixtures;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeFixtures() throws IOException {
        MnistFixtures.writeAll(fixtures);
    }

    private void copyFixtures() throws IOException {
        for (MnistFile file : MnistFile.values()) {
            Files.copy(file.in(fixtures), file.in(dir), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void loadsTheFourFiles() throws IOException {
        copyFixtures();
        MnistData mnist = MnistData.load(dir, false);

        assertEquals(60_000, mnist.train().size());
        assertEquals(10_000, mnist.test().size());
        assertEquals(1, mnist.train().channels());
        assertEquals(28, mnist.train().height());
        assertEquals(28, mnist.test().width());
        assertEquals(10, mnist.train().numClasses());
        assertEquals(7, mnist.test().label(9997));
        assertEquals(200 / 255f, mnist.train().pixel(200, 0));
        assertEquals(0f, mnist.train().pixel(200, 1));
        assertEquals("data/mnist", MnistData.DEFAULT_DIR);
    }

    @Test
    void presentFilesNeedNoNpm() throws IOException {
        copyFixtures();
        MnistData mnist = MnistData.load(dir, new MnistFetcher(dir.resolve("no-such-npm").toString()));
        assertEquals(60_000, mnist.train().size());
    }

    @Test
    void missingFilesWithoutFetchingListTheNames() throws IOException {
        UserErrorException all = assertThrows(UserErrorException.class, () -> MnistData.load(dir, false));
        assertTrue(all.getMessage().startsWith("MNIST not found in " + dir), all.getMessage());
        assertTrue(all.getMessage().contains(MnistFile.allNames()), all.getMessage());

        copyFixtures();
        Files.delete(MnistFile.TEST_LABELS.in(dir));
        Files.writeString(dir.resolve("t10k-labels-idx1-ubyte.gz"), "x");
        UserErrorException one = assertThrows(UserErrorException.class, () -> MnistData.load(dir, false));
        assertTrue(one.getMessage().startsWith("MNIST files missing in " + dir + ": t10k-labels-idx1-ubyte"),
                one.getMessage());
        assertTrue(one.getMessage().contains("gunzip"), one.getMessage());
    }

    @Test
    void truncatedFileNamesTheFileAndTheRemedy() throws IOException {
        copyFixtures();
        Path images = MnistFile.TRAIN_IMAGES.in(dir);
        try (var channel = Files.newByteChannel(images, StandardOpenOption.WRITE)) {
            channel.truncate(1234);
        }
        UserErrorException e = assertThrows(UserErrorException.class, () -> MnistData.load(dir, false));
        assertTrue(e.getMessage().startsWith(images + ": truncated: header says 60000 images of 28x28 (47040016 bytes)"
                + " but the file has 1234 bytes; delete it"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        copyFixtures();
        IdxWriter.writeLabels(MnistFile.TEST_LABELS.in(dir), new byte[9_999]);
        UserErrorException e = assertThrows(UserErrorException.class, () -> MnistData.load(dir, false));
        String expected = "has 10000 images but " + MnistFile.TEST_LABELS.in(dir) + " has 9999 labels";
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void countsMustBeMnists() throws IOException {
        copyFixtures();
        IdxWriter.writeImages(MnistFile.TEST_IMAGES.in(dir), new IdxImages(5, 28, 28, new byte[5 * 784]));
        IdxWriter.writeLabels(MnistFile.TEST_LABELS.in(dir), new byte[5]);
        UserErrorException e = assertThrows(UserErrorException.class, () -> MnistData.load(dir, false));
        assertTrue(e.getMessage().startsWith(MnistFile.TEST_IMAGES.in(dir) + ": has 5 images, expected 10000"),
                e.getMessage());
    }

    @Test
    void imagesMustBe28By28() throws IOException {
        copyFixtures();
        IdxWriter.writeImages(MnistFile.TEST_IMAGES.in(dir), new IdxImages(10_000, 14, 56, new byte[10_000 * 784]));
        UserErrorException e = assertThrows(UserErrorException.class, () -> MnistData.load(dir, false));
        assertTrue(e.getMessage().contains("images are 14x56, expected 28x28"), e.getMessage());
    }

    @Test
    void labelsMustBeDigits() throws IOException {
        copyFixtures();
        Path labels = MnistFile.TRAIN_LABELS.in(dir);
        try (var channel = Files.newByteChannel(labels, StandardOpenOption.WRITE)) {
            channel.position(IdxFile.LABELS_HEADER_BYTES + 17).write(ByteBuffer.wrap(new byte[] {10}));
        }
        UserErrorException e = assertThrows(UserErrorException.class, () -> MnistData.load(dir, false));
        assertTrue(e.getMessage().startsWith(labels + ": label 10 at index 17 is outside 0..9"), e.getMessage());
    }
}
