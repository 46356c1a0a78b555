package dev.advtrain.core.data;

/**
 * The example order of one epoch: a Fisher-Yates permutation of {@code 0..n-1} drawn from a
 * SplitMix64 stream whose start is a hash of {@code (seed, epoch)}. The order depends on nothing else
 * (not the JDK version, not earlier epochs), so a resumed run that sets the epoch sees the order the
 * interrupted run would have seen, and distinct epochs give unrelated orders.
 */
final class EpochShuffle {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    private EpochShuffle(long seed, int epoch) {
        this.state = mix64(mix64(seed) + epoch);
    }

    /** Returns the order of {@code n} examples in epoch {@code epoch} for {@code seed}. */
    static int[] permutation(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        EpochShuffle random = new EpochShuffle(seed, epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** Returns a uniformly distributed int in {@code 0..bound-1} (rejection sampling, no modulo bias). */
    private int nextInt(int bound) {
        int limit = bound - 1;
        int bits = (int) (nextLong() >>> 33);
        int value = bits % bound;
        while (bits - value + limit < 0) {
            bits = (int) (nextLong() >>> 33);
            value = bits % bound;
        }
        return value;
    }

    private long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
