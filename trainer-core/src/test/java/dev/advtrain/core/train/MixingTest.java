package dev.advtrain.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.advtrain.core.config.MixingConfig;
import dev.advtrain.core.config.MixingPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MixingTest {

    @Test
    void fractionReplacesThatShareOfEveryBatch() {
        Mixing half = new Mixing.Fraction(0.5);
        assertEquals(64, half.adversarialCount(0, 128));
        assertEquals(64, half.adversarialCount(7, 128));
        assertEquals(3, new Mixing.Fraction(0.3).adversarialCount(0, 10));
        assertEquals(0, new Mixing.Fraction(0.0).adversarialCount(3, 128));
        assertEquals(128, new Mixing.Fraction(1.0).adversarialCount(3, 128));
    }

    @Test
    void alternateOneToOneAlternatesCleanAndAdversarialBatches() {
        Mixing alternate = new Mixing.Alternate(1.0);
        int[] pattern = new int[6];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = alternate.adversarialCount(i, 100);
        }
        assertEquals("[0, 100, 0, 100, 0, 100]", java.util.Arrays.toString(pattern));
    }

    @ParameterizedTest
    @CsvSource({"1.0, 0.5", "0.5, 0.3333333", "3.0, 0.75", "0.0, 0.0", "9.0, 0.9"})
    void alternateGivesTheRatioOfAdversarialToCleanBatches(double ratio, double share) {
        Mixing alternate = new Mixing.Alternate(ratio);
        int batches = 3000;
        int adversarial = 0;
        for (int i = 0; i < batches; i++) {
            int k = alternate.adversarialCount(i, 10);
            assertEquals(true, k == 0 || k == 10, "whole batches only");
            adversarial += k / 10;
        }
        assertEquals(share, adversarial / (double) batches, 1.0 / batches + 1e-9);
    }

    @Test
    void policiesFromConfig() {
        assertEquals(new Mixing.Fraction(1.0), Mixing.of(new MixingConfig(MixingPolicy.ADVERSARIAL_ONLY, 0.5, 1.0)));
        assertEquals(new Mixing.Fraction(0.0), Mixing.of(new MixingConfig(MixingPolicy.CLEAN_ONLY, 0.5, 1.0)));
        assertEquals(new Mixing.Fraction(0.25), Mixing.of(new MixingConfig(MixingPolicy.MIX, 0.25, 1.0)));
        assertEquals(new Mixing.Alternate(2.0), Mixing.of(new MixingConfig(MixingPolicy.ALTERNATE, 0.5, 2.0)));
    }

    @Test
    void rejectsInvalidShares() {
        assertThrows(IllegalArgumentException.class, () -> new Mixing.Fraction(1.5));
        assertThrows(IllegalArgumentException.class, () -> new Mixing.Alternate(-1));
    }

    @Test
    void epsilonWarmsUpLinearlyThenStaysConstant() {
        EpsilonSchedule schedule = EpsilonSchedule.of(0.1, 0.5, 100); // 50 iterations
        assertEquals(0.1 / 50, schedule.at(0), 1e-12);
        assertEquals(0.1 * 25 / 50, schedule.at(24), 1e-12);
        assertEquals(0.1, schedule.at(49), 1e-12);
        assertEquals(0.1, schedule.at(500), 1e-12);
        assertEquals(0.1, EpsilonSchedule.of(0.1, 0, 100).at(0), 1e-12);
    }
}
