package dev.advtrain.core.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LabeledImagesTest {

    @Test
    void pixelsAreScaledExactlyToUnitInterval() {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1};
        LabeledImages data = LabeledImages.fromUnsignedBytes(pixels, new int[] {3}, 1, 2, 2, 10);

        assertEquals(0f, data.pixel(0, 0));
        assertEquals(1f, data.pixel(0, 1));
        assertEquals(128 / 255f, data.pixel(0, 2));
        assertEquals(1 / 255f, data.pixel(0, 3));
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 1 / 255f}, data.pixels(0));
        for (int b = 0; b < 256; b++) {
            float value = LabeledImages.fromUnsignedBytes(new byte[] {(byte) b}, new int[] {0}, 1, 1, 1, 1).pixel(0, 0);
            assertEquals(b, Math.round(value * 255f));
            assertEquals(b == 0 || b == 255, value == 0f || value == 1f);
        }
    }

    @Test
    void inputArraysAreCopied() {
        byte[] pixels = {5, 6};
        int[] labels = {1};
        LabeledImages data = LabeledImages.fromUnsignedBytes(pixels, labels, 2, 1, 1, 2);
        pixels[0] = 0;
        labels[0] = 0;
        assertEquals(5 / 255f, data.pixel(0, 0));
        assertEquals(1, data.label(0));
    }

    @Test
    void rangeAndFirstAreViews() {
        LabeledImages data = SyntheticImages.indexed(10, 1, 2, 3, 3, 7L);

        LabeledImages validation = data.range(8, 10);
        assertEquals(2, validation.size());
        assertEquals(8 % 3, validation.label(0));
        assertArrayEquals(data.pixels(9), validation.pixels(1));
        assertArrayEquals(new int[] {8 % 3, 9 % 3}, validation.labels());

        LabeledImages inner = data.range(2, 9).range(1, 3);
        assertArrayEquals(data.pixels(3), inner.pixels(0));
        assertArrayEquals(data.pixels(4), inner.pixels(1));

        assertEquals(4, data.first(4).size());
        assertEquals(10, data.first(100).size());
        assertEquals(0, data.first(0).size());
        assertEquals(data.unsignedPixels().length / 10 * 4, data.first(4).unsignedPixels().length);
    }

    @Test
    void viewsCheckTheirBounds() {
        LabeledImages data = SyntheticImages.indexed(10, 1, 2, 3, 3, 7L).range(2, 5);
        assertThrows(IndexOutOfBoundsException.class, () -> data.label(3));
        assertThrows(IndexOutOfBoundsException.class, () -> data.pixel(-1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> data.pixel(0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> data.range(0, 4));
        assertThrows(IllegalArgumentException.class, () -> data.first(-1));
    }

    @Test
    void classCountsCountTheView() {
        LabeledImages data = SyntheticImages.indexed(10, 1, 1, 2, 3, 7L);
        assertArrayEquals(new int[] {4, 3, 3}, data.classCounts());
        assertArrayEquals(new int[] {1, 1, 1}, data.range(0, 3).classCounts());
    }

    @Test
    void rejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class,
                () -> LabeledImages.fromUnsignedBytes(new byte[3], new int[] {0}, 1, 2, 2, 10));
        assertThrows(IllegalArgumentException.class,
                () -> LabeledImages.fromUnsignedBytes(new byte[4], new int[] {10}, 1, 2, 2, 10));
        assertThrows(IllegalArgumentException.class,
                () -> LabeledImages.fromUnsignedBytes(new byte[0], new int[0], 0, 2, 2, 10));
    }
}
