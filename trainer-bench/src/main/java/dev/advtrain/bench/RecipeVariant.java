package dev.advtrain.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One recipe setting that {@link RecipeEpochCost} times, with issue 5's target for its epoch cost
 * as a multiple of a clean epoch, and the passes its batches are made of.
 *
 * <p>Names: {@code clean} (fast-at with mixing {@code clean-only}), {@code fast-at} and
 * {@code n-fgsm} (adversarial-only), {@code pgd-K} (pgd-at, K steps, adversarial-only),
 * {@code free-M} (M replays), {@code trades-K}, {@code mart-K} (K attack steps).
 *
 * @param name as given on the command line
 * @param overrides the config keys that select the recipe ({@code key=value}, as {@code --set})
 * @param target the largest allowed ratio to a clean epoch; for trades and mart the PGD-AT target of
 *     the same K, printed as a reference only
 * @param binding whether {@code target} is issue 5's target for this recipe
 * @param fits optimiser steps per batch on a plain batch's worth of rows (2 for the stacked
 *     clean-and-adversarial batch of trades and mart, 0 for free, whose steps are replays)
 * @param gradientPasses input-gradient passes per batch of the attack
 * @param replays free's steps with input gradient per batch
 * @param samples 32-row metric samples the trainer takes per batch (clean and/or adversarial rows)
 */
record RecipeVariant(String name, List<String> overrides, double target, boolean binding, int fits,
        int gradientPasses, int replays, int samples) {

    /** Every recipe issue 5 names, clean first. */
    static final List<String> ALL = List.of("clean", "fast-at", "n-fgsm", "pgd-3", "pgd-7", "free-4", "free-8",
            "trades-3", "trades-7", "mart-3");

    private static final Pattern COUNTED = Pattern.compile("(pgd|free|trades|mart)-(\\d+)");

    /** The variant {@code name} stands for. */
    static RecipeVariant parse(String name) {
        switch (name) {
            case "clean":
                return new RecipeVariant(name, List.of("adversarial.recipe=fast-at",
                        "adversarial.mixing.policy=clean-only"), 1.0, false, 1, 0, 0, 1);
            case "fast-at":
            case "n-fgsm":
                return new RecipeVariant(name, List.of("adversarial.recipe=" + name,
                        "adversarial.mixing.policy=adversarial-only"), 2.2, true, 1, 1, 0, 1);
            default:
                break;
        }
        Matcher m = COUNTED.matcher(name);
        if (!m.matches() || Integer.parseInt(m.group(2)) < 1) {
            throw new IllegalArgumentException("unknown recipe '" + name + "': expected clean, fast-at, n-fgsm, "
                    + "pgd-K, free-M, trades-K or mart-K with K, M >= 1");
        }
        int k = Integer.parseInt(m.group(2));
        double pgdTarget = 1.1 * (k + 1);
        return switch (m.group(1)) {
            case "pgd" -> new RecipeVariant(name, List.of("adversarial.recipe=pgd-at", "adversarial.steps=" + k,
                    "adversarial.mixing.policy=adversarial-only"), pgdTarget, true, 1, k, 0, 1);
            case "free" -> new RecipeVariant(name, List.of("adversarial.recipe=free", "adversarial.replays=" + k),
                    1.1 * k, true, 0, 0, k, 2);
            default -> new RecipeVariant(name, List.of("adversarial.recipe=" + m.group(1), "adversarial.steps=" + k),
                    pgdTarget, false, 2, k, 0, 2);
        };
    }

    /** Whether this is the clean baseline. */
    boolean clean() {
        return gradientPasses == 0 && replays == 0;
    }

    /**
     * The ratio to a clean epoch that the passes alone would give, from their measured costs (any
     * unit): what the recipe would cost if the trainer added nothing around its passes.
     *
     * @param fit a training step on a batch
     * @param gradient an input-gradient pass on a batch
     * @param fitWithGradient a training step that also returns the input gradient (free's replay)
     * @param sample inference on the trainer's 32-row metric sample
     */
    double passesRatio(double fit, double gradient, double fitWithGradient, double sample) {
        double batch = fits * fit + gradientPasses * gradient + replays * fitWithGradient + samples * sample;
        return batch / (fit + sample);
    }
}
