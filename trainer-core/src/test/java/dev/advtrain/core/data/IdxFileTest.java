package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFileTest {

    @TempDir
    Path dir;

    private static IdxImages tinyImages() {
        byte[] pixels = new byte[3 * 2 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 11);
        }
        pixels[5] = (byte) 255;
        return new IdxImages(3, 2, 4, pixels);
    }

    @Test
    void imagesRoundTrip() throws IOException {
        Path file = dir.resolve("images");
        IdxImages written = tinyImages();
        IdxWriter.writeImages(file, written);

        assertEquals(IdxFile.IMAGES_HEADER_BYTES + 24, Files.size(file));
        IdxImages read = IdxFile.readImages(file);
        assertEquals(3, read.count());
        assertEquals(2, read.rows());
        assertEquals(4, read.cols());
        assertArrayEquals(written.pixels(), read.pixels());
    }

    @Test
    void headerIsBigEndianAsInMnist() throws IOException {
        Path file = dir.resolve("images");
        IdxWriter.writeImages(file, tinyImages());
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4},
                Arrays.copyOf(bytes, 16));
    }

    @Test
    void labelsRoundTrip() throws IOException {
        Path file = dir.resolve("labels");
        byte[] labels = {0, 9, 3, (byte) 200};
        IdxWriter.writeLabels(file, labels);

        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 4}, Arrays.copyOf(Files.readAllBytes(file), 8));
        assertArrayEquals(labels, IdxFile.readLabels(file));
    }

    @Test
    void emptyFilesRoundTrip() throws IOException {
        IdxWriter.writeImages(dir.resolve("images"), new IdxImages(0, 28, 28, new byte[0]));
        IdxWriter.writeLabels(dir.resolve("labels"), new byte[0]);
        assertEquals(0, IdxFile.readImages(dir.resolve("images")).count());
        assertEquals(0, IdxFile.readLabels(dir.resolve("labels")).length);
    }

    @Test
    void labeledImagesPairRoundTrip() throws IOException {
        LabeledImages data = SyntheticImages.indexed(7, 1, 3, 5, 4, 1L);
        IdxWriter.write(data, dir.resolve("images"), dir.resolve("labels"));

        LabeledImages read = IdxFile.readLabeledImages(dir.resolve("images"), dir.resolve("labels"), 4, "fix it");
        assertEquals(7, read.size());
        assertEquals(1, read.channels());
        assertEquals(3, read.height());
        assertEquals(5, read.width());
        assertArrayEquals(data.labels(), read.labels());
        assertArrayEquals(data.unsignedPixels(), read.unsignedPixels());
    }

    @Test
    void badMagicNamesTheFile() throws IOException {
        Path file = dir.resolve("train-images-idx3-ubyte");
        Files.write(file, ByteBuffer.allocate(24).putInt(0x12345678).array());

        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readImages(file));
        assertTrue(e.getMessage().startsWith(file + ": not an IDX file: magic number 0x12345678"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
    }

    @Test
    void labelFileReadAsImagesSaysTheNamesMayBeSwapped() throws IOException {
        Path file = dir.resolve("train-images-idx3-ubyte");
        IdxWriter.writeLabels(file, new byte[20]);

        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readImages(file));
        assertTrue(e.getMessage().contains("1 dimensions"), e.getMessage());
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
    }

    @Test
    void wrongElementTypeIsReported() throws IOException {
        Path file = dir.resolve("labels");
        Files.write(file, ByteBuffer.allocate(12).putInt(0x00000D01).putInt(1).array());

        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readLabels(file));
        assertTrue(e.getMessage().contains("element type 0x0D"), e.getMessage());
    }

    @Test
    void gzipCompressedFileSaysDecompress() throws IOException {
        Path file = dir.resolve("train-images-idx3-ubyte");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(new byte[100]);
        }
        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readImages(file));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
        assertTrue(e.getMessage().contains("gunzip"), e.getMessage());
    }

    @Test
    void truncatedFileSaysWhatTheHeaderPromised() throws IOException {
        Path file = dir.resolve("train-images-idx3-ubyte");
        Files.write(file, Arrays.copyOf(ByteBuffer.allocate(16).putInt(0x803).putInt(60000).putInt(28).putInt(28)
                .array(), 1234));

        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readImages(file, "get a new one"));
        assertEquals(file + ": truncated: header says 60000 images of 28x28 (47040016 bytes) but the file has"
                + " 1234 bytes; get a new one", e.getMessage());
    }

    @Test
    void fileShorterThanTheHeaderIsTruncated() throws IOException {
        Path file = dir.resolve("labels");
        Files.write(file, new byte[] {0, 0, 8, 1, 0});

        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readLabels(file));
        assertTrue(e.getMessage().startsWith(file + ": truncated: the file has 5 bytes"), e.getMessage());
    }

    @Test
    void trailingBytesAreReported() throws IOException {
        Path file = dir.resolve("labels");
        IdxWriter.writeLabels(file, new byte[10]);
        Files.write(file, new byte[3], StandardOpenOption.APPEND);

        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readLabels(file));
        assertTrue(e.getMessage().contains("header says 10 labels (18 bytes) but the file has 21 bytes"),
                e.getMessage());
    }

    @Test
    void negativeDimensionIsCorrupt() throws IOException {
        Path file = dir.resolve("images");
        Files.write(file, ByteBuffer.allocate(16).putInt(0x803).putInt(-5).putInt(28).putInt(28).array());

        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readImages(file));
        assertTrue(e.getMessage().contains("image count -5 is negative"), e.getMessage());
    }

    @Test
    void missingFileIsAUserError() {
        Path file = dir.resolve("nope");
        UserErrorException e = assertThrows(UserErrorException.class, () -> IdxFile.readLabels(file));
        assertEquals(file + ": file not found; " + IdxFile.DEFAULT_REMEDY, e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        IdxWriter.writeImages(dir.resolve("images"), tinyImages());
        IdxWriter.writeLabels(dir.resolve("labels"), new byte[] {1, 2});

        UserErrorException e = assertThrows(UserErrorException.class,
                () -> IdxFile.readLabeledImages(dir.resolve("images"), dir.resolve("labels"), 10, "fix it"));
        assertTrue(e.getMessage().contains("has 3 images but"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("labels") + " has 2 labels"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsReported() throws IOException {
        IdxWriter.writeImages(dir.resolve("images"), tinyImages());
        IdxWriter.writeLabels(dir.resolve("labels"), new byte[] {1, 10, 2});

        UserErrorException e = assertThrows(UserErrorException.class,
                () -> IdxFile.readLabeledImages(dir.resolve("images"), dir.resolve("labels"), 10, "fix it"));
        assertEquals(dir.resolve("labels") + ": label 10 at index 1 is outside 0..9; fix it", e.getMessage());
    }
}
