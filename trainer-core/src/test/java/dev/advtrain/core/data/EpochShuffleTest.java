package dev.advtrain.core.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochShuffleTest {

    @Test
    void isAPermutationFixedBySeedAndEpoch() {
        int[] order = EpochShuffle.permutation(1000, 42L, 3);
        assertArrayEquals(IntStream.range(0, 1000).toArray(), Arrays.stream(order).sorted().toArray());
        assertArrayEquals(order, EpochShuffle.permutation(1000, 42L, 3));
        assertFalse(Arrays.equals(order, EpochShuffle.permutation(1000, 42L, 4)));
        assertFalse(Arrays.equals(order, EpochShuffle.permutation(1000, 43L, 3)));
    }

    @Test
    void pinnedOrderSoResumesStayReproducibleAcrossVersions() {
        // If this changes, runs resumed from older checkpoints see a different data order.
        assertArrayEquals(new int[] {8, 0, 2, 5, 9, 3, 1, 4, 7, 6}, EpochShuffle.permutation(10, 0L, 0));
    }

    @Test
    void everyPositionIsRoughlyUniform() {
        int n = 5;
        int trials = 20_000;
        int[][] counts = new int[n][n];
        for (int t = 0; t < trials; t++) {
            int[] order = EpochShuffle.permutation(n, 7L, t);
            for (int position = 0; position < n; position++) {
                counts[position][order[position]]++;
            }
        }
        for (int[] row : counts) {
            for (int count : row) {
                assertTrue(Math.abs(count - trials / n) < 300, Arrays.deepToString(counts));
            }
        }
        assertEquals(0, EpochShuffle.permutation(0, 1L, 0).length);
        assertArrayEquals(new int[] {0}, EpochShuffle.permutation(1, 1L, 0));
    }
}
