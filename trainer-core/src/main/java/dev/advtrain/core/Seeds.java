package dev.advtrain.core;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent seeds from the run's one seed, so that data order, weight initialisation,
 * dropout and random starts are each reproducible on their own (and a resumed epoch sees exactly
 * the randomness it would have seen in an uninterrupted run).
 */
public final class Seeds {

    private Seeds() {
    }

    /** A seed for {@code purpose} at {@code index} (e.g. an epoch), mixed with SplitMix64. */
    public static long derive(long seed, String purpose, long index) {
        long h = seed;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        return mix(h ^ mix(index + 0x9E3779B97F4A7C15L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
