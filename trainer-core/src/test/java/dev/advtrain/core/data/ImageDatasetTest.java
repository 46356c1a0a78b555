package dev.advtrain.core.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageDatasetTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d");

    /** Returns the original indices ({@link SyntheticImages#indexed}) of the examples of {@code part}. */
    private static int[] indices(LabeledImages part) {
        int[] out = new int[part.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = SyntheticImages.indexOf(part.pixel(i, 0), part.pixel(i, 1));
        }
        return out;
    }

    @Test
    void splitIsDisjointCompleteAndStratified() {
        LabeledImages all = SyntheticImages.indexed(400, 1, 2, 2, 4, 1);

        ImageDataset data = ImageDataset.split(all, NAMES, 0.2, 5);

        assertArrayEquals(new int[] {80, 80, 80, 80}, data.train().classCounts());
        assertArrayEquals(new int[] {20, 20, 20, 20}, data.test().classCounts());
        int[] used = new int[400];
        for (LabeledImages part : List.of(data.train(), data.test())) {
            int[] indices = indices(part);
            for (int i = 0; i < indices.length; i++) {
                used[indices[i]]++;
                assertEquals(indices[i] % 4, part.label(i), "label travels with its image");
            }
        }
        int[] once = new int[400];
        Arrays.fill(once, 1);
        assertArrayEquals(once, used, "every example in exactly one split");
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        LabeledImages all = SyntheticImages.indexed(100, 1, 2, 2, 4, 1);

        ImageDataset first = ImageDataset.split(all, NAMES, 0.3, 11);
        ImageDataset again = ImageDataset.split(all, NAMES, 0.3, 11);
        ImageDataset other = ImageDataset.split(all, NAMES, 0.3, 12);

        assertArrayEquals(indices(first.train()), indices(again.train()));
        assertArrayEquals(indices(first.test()), indices(again.test()));
        int[] firstTest = indices(first.test());
        int[] otherTest = indices(other.test());
        Arrays.sort(firstTest);
        Arrays.sort(otherTest);
        assertFalse(Arrays.equals(firstTest, otherTest), "another seed holds out other examples");
    }

    @Test
    void trainingSplitIsShuffledNotGroupedByClass() {
        LabeledImages all = SyntheticImages.indexed(200, 1, 2, 2, 4, 1);

        int[] labels = ImageDataset.split(all, NAMES, 0.25, 3).train().labels();

        int[] tail = Arrays.copyOfRange(labels, labels.length - 30, labels.length);
        assertEquals(4, Arrays.stream(tail).distinct().count(), "a validation tail holds every class");
    }

    @Test
    void smallClassesAreInBothSplitsAndASingletonTrains() {
        int[] labels = {0, 0, 1, 1, 1, 2};
        LabeledImages all = LabeledImages.fromUnsignedBytes(new byte[6], labels, 1, 1, 1, 3);

        ImageDataset data = ImageDataset.split(all, List.of("x", "y", "z"), 0.01, 1);

        assertArrayEquals(new int[] {1, 2, 1}, data.train().classCounts());
        assertArrayEquals(new int[] {1, 1, 0}, data.test().classCounts());
        ImageDataset most = ImageDataset.split(all, List.of("x", "y", "z"), 0.99, 1);
        assertArrayEquals(new int[] {1, 1, 1}, most.train().classCounts());
    }

    @Test
    void rejectsMismatchedSplitsAndNames() {
        LabeledImages grey = SyntheticImages.indexed(10, 1, 2, 2, 4, 1);
        LabeledImages colour = SyntheticImages.indexed(10, 3, 2, 2, 4, 1);
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(grey, colour, NAMES));
        assertThrows(IllegalArgumentException.class, () -> new ImageDataset(grey, grey, List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> ImageDataset.split(grey, NAMES, 1.0, 1));
        assertEquals(4, new ImageDataset(grey, grey, NAMES).numClasses());
    }
}
