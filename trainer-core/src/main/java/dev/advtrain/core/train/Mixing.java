package dev.advtrain.core.train;

import dev.advtrain.core.config.MixingConfig;

/**
 * How clean and adversarial examples share the training batches. Adversarial examples are always
 * generated from the current weights, just before the batch is used.
 */
public sealed interface Mixing permits Mixing.Fraction, Mixing.Alternate {

    /** How many of batch {@code batchIndex}'s {@code batchSize} examples are replaced by adversarial ones. */
    int adversarialCount(long batchIndex, int batchSize);

    /** The policy a config describes. */
    static Mixing of(MixingConfig config) {
        return switch (config.policy()) {
            case MIX -> new Fraction(config.fraction());
            case ALTERNATE -> new Alternate(config.ratio());
            case ADVERSARIAL_ONLY -> new Fraction(1.0);
            case CLEAN_ONLY -> new Fraction(0.0);
        };
    }

    /** A fixed share of every batch (rounded to whole examples): 0 is clean training, 1 adversarial only. */
    record Fraction(double fraction) implements Mixing {
        public Fraction {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
            }
        }

        @Override
        public int adversarialCount(long batchIndex, int batchSize) {
            return (int) Math.round(fraction * batchSize);
        }
    }

    /**
     * Whole batches, {@code ratio} adversarial ones per clean one, spread evenly: 1.0 alternates,
     * 0.5 makes every third batch adversarial, 3.0 three of every four.
     */
    record Alternate(double ratio) implements Mixing {
        public Alternate {
            if (!(ratio >= 0) || Double.isInfinite(ratio)) {
                throw new IllegalArgumentException("ratio must be a finite number >= 0, got " + ratio);
            }
        }

        @Override
        public int adversarialCount(long batchIndex, int batchSize) {
            double share = ratio / (1.0 + ratio);
            boolean adversarial = Math.floor((batchIndex + 1) * share + 1e-9) > Math.floor(batchIndex * share + 1e-9);
            return adversarial ? batchSize : 0;
        }
    }
}
