package dev.advtrain.core.data;

import dev.advtrain.core.UserErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {

    private static final Color GREY_100 = new Color(100, 100, 100);

    @TempDir
    Path dir;

    /** bird: 2 colour PNG + 1 JPEG; cat: 2 grey PNG; dog: 1 colour PNG, all of different sizes. */
    private void writeMixedFolder() throws IOException {
        ImageFolderFixture.writeSolid(dir.resolve("bird/b1.png"), Color.RED, 13, 9, false);
        ImageFolderFixture.writeSolid(dir.resolve("bird/b2.png"), Color.BLUE, 8, 8, false);
        ImageFolderFixture.writeSolid(dir.resolve("bird/b3.jpg"), Color.RED, 20, 16, false);
        ImageFolderFixture.writeSolid(dir.resolve("cat/c1.png"), GREY_100, 5, 7, true);
        ImageFolderFixture.writeSolid(dir.resolve("cat/c2.PNG"), GREY_100, 30, 30, true);
        ImageFolderFixture.writeSolid(dir.resolve("dog/d1.png"), Color.GREEN, 4, 6, false);
        Files.writeString(dir.resolve("dog/notes.txt"), "not an image");
        Files.writeString(dir.resolve("README"), "not an image either");
    }

    private static int[] channel(LabeledImages images, int index, int channel) {
        int plane = images.height() * images.width();
        int[] values = new int[plane];
        for (int p = 0; p < plane; p++) {
            values[p] = Math.round(images.pixel(index, channel * plane + p) * 255f);
        }
        return values;
    }

    private static int[] filled(int length, int value) {
        int[] values = new int[length];
        Arrays.fill(values, value);
        return values;
    }

    @Test
    void readsSortedClassesLabelsAndResizedShapes() throws IOException {
        writeMixedFolder();

        ImageFolder.Contents contents = ImageFolder.read(dir, 8, 6, 3);

        assertEquals(List.of("bird", "cat", "dog"), contents.classNames());
        LabeledImages images = contents.images();
        assertEquals(6, images.size());
        assertEquals(3, images.channels());
        assertEquals(8, images.height());
        assertEquals(6, images.width());
        assertEquals(3, images.numClasses());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2}, images.labels());
        assertEquals(List.of("b1.png", "b2.png", "b3.jpg", "c1.png", "c2.PNG", "d1.png"),
                contents.files().stream().map(f -> f.getFileName().toString()).toList());
        for (int i = 0; i < images.size(); i++) {
            assertEquals(contents.classNames().get(images.label(i)),
                    contents.files().get(i).getParent().getFileName().toString());
        }
    }

    @Test
    void coloursComeOutInRgbOrderNotOpenCvsBgr() throws IOException {
        writeMixedFolder();

        LabeledImages images = ImageFolder.read(dir, 8, 6, 3).images();

        int plane = 8 * 6;
        assertArrayEquals(filled(plane, 255), channel(images, 0, 0), "pure red PNG: channel 0 is red");
        assertArrayEquals(filled(plane, 0), channel(images, 0, 1));
        assertArrayEquals(filled(plane, 0), channel(images, 0, 2));
        assertArrayEquals(filled(plane, 0), channel(images, 1, 0), "pure blue PNG: channel 2 is blue");
        assertArrayEquals(filled(plane, 255), channel(images, 1, 2));
        assertArrayEquals(filled(plane, 255), channel(images, 5, 1), "pure green PNG");
        for (int p = 0; p < plane; p++) {
            assertTrue(channel(images, 2, 0)[p] >= 245, "JPEG red stays red");
            assertTrue(channel(images, 2, 2)[p] <= 10, "JPEG red has no blue");
        }
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(filled(plane, 100), channel(images, 3, c), "grey PNG read as RGB: all channels equal");
        }
    }

    @Test
    void oneChannelIsTheLuminanceOfTheRgbColour() throws IOException {
        writeMixedFolder();

        LabeledImages images = ImageFolder.read(dir, 5, 5, 1).images();

        assertEquals(1, images.channels());
        // OpenCV's grey is 0.299 R + 0.587 G + 0.114 B: red 76, blue 29 (swapped channels would give 29 and 76).
        assertArrayEquals(filled(25, 76), channel(images, 0, 0));
        assertArrayEquals(filled(25, 29), channel(images, 1, 0));
        assertArrayEquals(filled(25, 100), channel(images, 4, 0));
    }

    @Test
    void seededSplitIsStratifiedDeterministicAndUsesEveryImageOnce() throws IOException {
        ImageFolderFixture.write(dir, 3, 8, 6, 42);

        ImageDataset first = ImageFolder.load(dir, 6, 6, 3, 0.25, 7);
        ImageDataset again = ImageFolder.load(dir, 6, 6, 3, 0.25, 7);
        ImageDataset other = ImageFolder.load(dir, 6, 6, 3, 0.25, 8);

        assertEquals(List.of("class0", "class1", "class2"), first.classNames());
        assertEquals(18, first.train().size());
        assertEquals(6, first.test().size());
        assertArrayEquals(new int[] {6, 6, 6}, first.train().classCounts());
        assertArrayEquals(new int[] {2, 2, 2}, first.test().classCounts());
        assertArrayEquals(first.train().unsignedPixels(), again.train().unsignedPixels());
        assertArrayEquals(first.test().labels(), again.test().labels());
        assertFalse(Arrays.equals(first.test().unsignedPixels(), other.test().unsignedPixels()));

        Set<String> all = new HashSet<>();
        for (LabeledImages part : List.of(first.train(), first.test())) {
            for (int i = 0; i < part.size(); i++) {
                assertTrue(all.add(Arrays.toString(part.pixels(i))), "an image appears twice");
            }
        }
        assertEquals(24, all.size());
    }

    private UserErrorException failure() {
        UserErrorException e = assertThrows(UserErrorException.class, () -> ImageFolder.read(dir, 8, 8, 3));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void missingDirectoryIsNamed() {
        dir = dir.resolve("nope");
        assertTrue(failure().getMessage().startsWith(dir + ": directory not found"));
    }

    @Test
    void directoryWithoutClassFoldersIsAnError() throws IOException {
        Files.writeString(dir.resolve("a.txt"), "x");
        assertTrue(failure().getMessage().contains("has no class sub-folders"));
    }

    @Test
    void oneClassIsNotEnough() throws IOException {
        ImageFolderFixture.writeSolid(dir.resolve("only/a.png"), Color.RED, 4, 4, false);
        assertTrue(failure().getMessage().contains("only one class sub-folder (only)"));
    }

    @Test
    void classFolderWithoutImagesIsNamed() throws IOException {
        ImageFolderFixture.writeSolid(dir.resolve("a/a.png"), Color.RED, 4, 4, false);
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("b/b.gif.txt"), "x");
        assertTrue(failure().getMessage().startsWith(dir.resolve("b") + ": class folder without images"));
    }

    @Test
    void corruptImageIsNamed() throws IOException {
        ImageFolderFixture.writeSolid(dir.resolve("a/a.png"), Color.RED, 4, 4, false);
        ImageFolderFixture.writeSolid(dir.resolve("b/b.png"), Color.RED, 4, 4, false);
        Files.write(dir.resolve("b/broken.jpg"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String message = failure().getMessage();
        assertTrue(message.startsWith(dir.resolve("b/broken.jpg") + ": cannot decode the image"), message);
    }

    @Test
    void imageOutsideAClassFolderIsNamed() throws IOException {
        ImageFolderFixture.writeSolid(dir.resolve("a/a.png"), Color.RED, 4, 4, false);
        ImageFolderFixture.writeSolid(dir.resolve("b/nested/b.png"), Color.RED, 4, 4, false);
        assertTrue(failure().getMessage().startsWith(dir.resolve("b/nested/b.png") + ": image outside a class folder"));
    }
}
