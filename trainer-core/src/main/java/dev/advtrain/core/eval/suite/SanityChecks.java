package dev.advtrain.core.eval.suite;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackCatalog;
import dev.advtrain.attacks.AttackParams;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Norm;
import dev.advtrain.attacks.StepSize;
import dev.advtrain.core.Progress;
import dev.advtrain.core.Seeds;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.AdversarialExamples;
import dev.advtrain.core.eval.AttackRunner;
import dev.advtrain.core.eval.Targeting;
import dev.advtrain.core.eval.suite.SuiteReport.SanityCheck;
import dev.advtrain.core.eval.suite.SuiteReport.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The automatic checks that an evaluation is not fooling itself (Carlini et al., "On Evaluating
 * Adversarial Robustness", 2019; Athalye et al., "Obfuscated Gradients Give a False Sense of
 * Security", 2018). Each is a {@link SanityCheck} with its numbers, pass or warn:
 *
 * <ul>
 *   <li>{@code iterative-vs-single-step}: PGD is at least as strong as FGSM;
 *   <li>{@code more-steps} and {@code more-restarts}: four times the steps, or four restarts, are
 *       not weaker than the plain PGD;
 *   <li>{@code monotone-in-eps}: robust accuracy does not rise with eps, for any attack or the worst case;
 *   <li>{@code unbounded-reaches-chance}: PGD with a budget covering the whole input range brings
 *       robust accuracy to chance (1 / classes) or below;
 *   <li>{@code black-box-vs-white-box}: black-box and transfer attacks break (almost) no image that
 *       every white-box attack failed on;
 *   <li>{@code noise-vs-attack}: random noise on the eps-sphere breaks far fewer images than the attack;
 *   <li>{@code gradients}: input gradients are finite and (almost) never exactly zero;
 *   <li>{@code saturated-outputs}: the model's probabilities are not rounded to exactly 1, which
 *       zeroes cross-entropy gradients;
 *   <li>{@code deterministic-outputs}: the model gives the same outputs twice (a random model
 *       needs EOT).
 * </ul>
 *
 * <p>The probes run on the first {@code sanity.limit} images at each threat model's headline eps,
 * PGD with Madry et al.'s step of 2.5 eps / steps; orderings allow a slack of
 * {@code sanity.tolerance} plus one image.
 */
final class SanityChecks {

    /** A larger share of exactly-zero gradients than this warns. */
    static final double ZERO_GRADIENT_SHARE = 0.05;
    /** A larger share of probabilities rounded to exactly 1 than this warns. */
    static final double SATURATED_SHARE = 0.5;
    /** Random noise breaking more than this share of what the attack breaks warns. */
    static final double NOISE_TO_ATTACK = 0.5;
    /** Draws of random noise per image. */
    static final int NOISE_DRAWS = 10;

    private final DifferentiableClassifier model;
    private final SuiteConfig suite;
    private final Progress progress;

    SanityChecks(DifferentiableClassifier model, SuiteConfig suite, Progress progress) {
        this.model = model;
        this.suite = suite;
        this.progress = progress;
    }

    List<SanityCheck> run(LabeledImages sample, boolean[] cleanCorrect, List<SuiteReport.AttackOutcome> results,
            List<SuiteReport.WorstCase> worstCase, List<SuiteRunner.ThreatOutcome> threats) {
        LabeledImages probe = sample.first(suite.sanity().limit());
        boolean[] correct = java.util.Arrays.copyOf(cleanCorrect, probe.size());
        List<SanityCheck> checks = new ArrayList<>();
        for (SuiteRunner.ThreatOutcome outcome : threats) {
            SuiteConfig.Threat threat = outcome.threat();
            checks.addAll(probes(threat, probe, correct));
            checks.add(monotone(threat, results, worstCase, slack(sample.size())));
            checks.add(blackBox(threat, outcome.success(), cleanCorrect, slack(sample.size())));
        }
        checks.addAll(modelChecks(probe));
        return checks;
    }

    private double slack(int n) {
        return suite.sanity().tolerance() + 1.0 / Math.max(1, n);
    }

    /** The checks that run their own attacks. */
    private List<SanityCheck> probes(SuiteConfig.Threat threat, LabeledImages probe, boolean[] correct) {
        String where = threat.norm() + " eps " + fmt(threat.eps());
        if (!AttackCatalog.get("pgd").norms().contains(threat.norm())) {
            String why = "no PGD under " + threat.norm();
            return List.of(skipped("iterative-vs-single-step", "Iterative at least as strong as single-step, " + where, why),
                    skipped("more-steps", "More steps not weaker, " + where, why),
                    skipped("more-restarts", "More restarts not weaker, " + where, why),
                    skipped("unbounded-reaches-chance", "Unbounded attack reaches chance, " + threat.norm(), why),
                    skipped("noise-vs-attack", "Random noise much weaker than the attack, " + where, why));
        }
        int k = suite.sanity().steps();
        double slack = slack(probe.size());
        Norm norm = threat.toNorm();
        // Misclassified images count as not robust and are never attacked.
        LabeledImages attacked = probe.select(SuiteRunner.indices(correct));
        int n = probe.size();
        double fgsm = robust(attacked, n, "fgsm", params(threat.eps(), norm, 1, 1, "fgsm"));
        double pgd = robust(attacked, n, "pgd", params(threat.eps(), norm, k, 1, "pgd"));
        double moreSteps = robust(attacked, n, "pgd", params(threat.eps(), norm, 4 * k, 1, "pgd"));
        double moreRestarts = robust(attacked, n, "pgd", params(threat.eps(), norm, k, 4, "pgd-restarts"));
        double unboundedEps = unboundedEps(threat.norm(), probe.pixelsPerExample());
        double unbounded = robust(attacked, n, "pgd", params(unboundedEps, norm, 4 * k, 1, "pgd-unbounded"));
        int clean = attacked.size();
        double noise = noiseSuccess(attacked, threat);
        double attackSuccess = clean == 0 ? 0 : (clean - Math.min(pgd, Math.min(moreSteps, moreRestarts)) * n) / clean;
        List<SanityCheck> checks = new ArrayList<>();
        checks.add(notAbove("iterative-vs-single-step", "Iterative at least as strong as single-step, " + where,
                "PGD-" + k, pgd, "FGSM", fgsm, slack, n));
        checks.add(notAbove("more-steps", "More steps not weaker, " + where, "PGD-" + 4 * k, moreSteps, "PGD-" + k, pgd, slack, n));
        checks.add(notAbove("more-restarts", "More restarts not weaker, " + where, "PGD-" + k + " x 4 restarts", moreRestarts,
                "PGD-" + k, pgd, slack, n));
        checks.add(chance(threat.norm(), unboundedEps, unbounded, 1.0 / probe.numClasses(), n));
        checks.add(noise(where, noise, attackSuccess, clean));
        return checks;
    }

    /** The budget that covers the whole input range [0, 1] under the norm. */
    static double unboundedEps(String norm, int dimensions) {
        return switch (norm) {
            case "linf" -> 1.0;
            case "l2" -> Math.sqrt(dimensions);
            default -> dimensions;
        };
    }

    /** PGD with Madry et al.'s step, 2.5 eps / steps, so that the steps can cross the whole ball. */
    private static AttackParams params(double eps, Norm norm, int steps, int restarts, String purpose) {
        return new AttackParams(eps, norm, steps, StepSize.relative(2.5 / steps), restarts, null, null,
                Seeds.derive(0, "sanity/" + purpose, 0), 0.0, 1.0);
    }

    /** Robust accuracy of {@code n} probe images under the catalogue's attack, given the clean-correct ones among them. */
    private double robust(LabeledImages attacked, int n, String name, AttackParams params) {
        if (attacked.size() == 0) {
            return 0.0;
        }
        AttackParams seeded = params.withSeed(Seeds.derive(suite.seed(), "sanity", params.seed()));
        Attack<? super DifferentiableClassifier> attack = AttackCatalog.get(name).create(seeded);
        AdversarialExamples ex = new AttackRunner(attack, model, progress).run(attacked, Targeting.untargeted(), suite.batchSize());
        int robust = 0;
        for (int k = 0; k < attacked.size(); k++) {
            robust += ex.success(k) ? 0 : 1;
        }
        return (double) robust / n;
    }

    /** Share of the clean-correct probe images that some of {@link #NOISE_DRAWS} random points on the eps-sphere break. */
    private double noiseSuccess(LabeledImages images, SuiteConfig.Threat threat) {
        if (images.size() == 0) {
            return 0.0;
        }
        boolean[] broken = new boolean[images.size()];
        SplittableRandom rng = new SplittableRandom(Seeds.derive(suite.seed(), "sanity/noise", 0));
        int offset = 0;
        ImageDataSetIterator batches = ImageDataSetIterator.builder(images).batchSize(suite.batchSize()).build();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            INDArray x = batch.getFeatures();
            for (int draw = 0; draw < NOISE_DRAWS; draw++) {
                INDArray noisy = onSphere(x, threat.norm(), threat.eps(), rng);
                long[] predicted = Nd4j.argMax(model.predict(noisy), 1).toLongVector();
                for (int i = 0; i < predicted.length; i++) {
                    broken[offset + i] |= predicted[i] != images.label(offset + i);
                }
            }
            offset += (int) x.size(0);
        }
        return (double) SuiteRunner.indices(broken).length / images.size();
    }

    /** x plus a random point on the sphere of radius eps (L-inf: a random corner), clipped to [0, 1]. */
    static INDArray onSphere(INDArray x, String norm, double eps, SplittableRandom rng) {
        int n = (int) x.size(0);
        int d = (int) (x.length() / n);
        double[] delta = new double[n * d];
        for (int i = 0; i < n; i++) {
            double size = 0;
            for (int j = 0; j < d; j++) {
                double g = gaussian(rng);
                delta[i * d + j] = g;
                size += norm.equals("l2") ? g * g : Math.abs(g);
            }
            double scale = norm.equals("l2") ? eps / Math.sqrt(size) : eps / size;
            for (int j = 0; j < d; j++) {
                delta[i * d + j] = norm.equals("linf") ? eps * Math.signum(delta[i * d + j]) : delta[i * d + j] * scale;
            }
        }
        double[] pixels = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int j = 0; j < pixels.length; j++) {
            pixels[j] = Math.min(1.0, Math.max(0.0, pixels[j] + delta[j]));
        }
        return Nd4j.create(pixels, x.shape(), 'c').castTo(x.dataType());
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** Gradients, saturation and determinism, measured once on the probe images. */
    private List<SanityCheck> modelChecks(LabeledImages probe) {
        int zero = 0;
        int nonFinite = 0;
        int saturated = 0;
        boolean probabilities = true;
        double maxChange = 0;
        ImageDataSetIterator batches = ImageDataSetIterator.builder(probe).batchSize(suite.batchSize()).build();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            INDArray x = batch.getFeatures();
            INDArray gradient = model.lossGradient(x, batch.getLabels()).castTo(DataType.DOUBLE);
            int n = (int) x.size(0);
            double[] flat = gradient.dup('c').data().asDouble();
            int d = flat.length / n;
            for (int i = 0; i < n; i++) {
                boolean finite = true;
                boolean allZero = true;
                for (int j = i * d; j < (i + 1) * d; j++) {
                    finite &= Double.isFinite(flat[j]);
                    allZero &= flat[j] == 0.0;
                }
                nonFinite += finite ? 0 : 1;
                zero += finite && allZero ? 1 : 0;
            }
            INDArray first = model.predict(x).castTo(DataType.FLOAT);
            INDArray second = model.predict(x).castTo(DataType.FLOAT);
            maxChange = Math.max(maxChange, first.sub(second).amaxNumber().doubleValue());
            float[] scores = first.dup('c').data().asFloat();
            int c = scores.length / n;
            for (int i = 0; i < n; i++) {
                double sum = 0;
                float top = Float.NEGATIVE_INFINITY;
                for (int j = i * c; j < (i + 1) * c; j++) {
                    sum += scores[j];
                    top = Math.max(top, scores[j]);
                    probabilities &= scores[j] >= 0 && scores[j] <= 1;
                }
                probabilities &= Math.abs(sum - 1) < 1e-3;
                saturated += top == 1.0f ? 1 : 0;
            }
        }
        int n = probe.size();
        List<SanityCheck> checks = new ArrayList<>();
        checks.add(gradients(zero, nonFinite, n));
        checks.add(probabilities ? saturation(saturated, n)
                : skipped("saturated-outputs", "Outputs are not saturated probabilities", "the outputs are not probabilities"));
        checks.add(determinism(maxChange, n));
        return checks;
    }

    // The verdicts: pure functions of the numbers, so that each can be tested on its own.

    /** Warns when {@code stronger}'s robust accuracy exceeds {@code weaker}'s by more than the slack. */
    static SanityCheck notAbove(String id, String title, String strongName, double stronger, String weakName, double weaker,
            double slack, int n) {
        boolean ok = stronger <= weaker + slack;
        String detail = String.format(Locale.ROOT, "robust accuracy %s %.3f %s %s %.3f (n = %d, slack %.3f)", strongName,
                stronger, ok ? "<=" : ">", weakName, weaker, n, slack);
        return check(id, title, ok, detail, Map.of("robust_strong", stronger, "robust_weak", weaker, "slack", slack, "n", (double) n));
    }

    static SanityCheck chance(String norm, double eps, double robust, double chance, int n) {
        boolean ok = robust <= chance;
        String detail = String.format(Locale.ROOT, "robust accuracy under PGD with %s eps %s (the whole input range) %.3f %s chance %.3f (n = %d)",
                norm, fmt(eps), robust, ok ? "<=" : ">", chance, n);
        return check("unbounded-reaches-chance", "Unbounded attack reaches chance, " + norm, ok, detail,
                Map.of("eps", eps, "robust", robust, "chance", chance, "n", (double) n));
    }

    static SanityCheck noise(String where, double noiseSuccess, double attackSuccess, int attacked) {
        boolean ok = noiseSuccess * attacked < 1 || noiseSuccess <= NOISE_TO_ATTACK * attackSuccess;
        String detail = String.format(Locale.ROOT, "%d random points on the eps-sphere break %.3f of the clean-correct images, "
                + "PGD breaks %.3f (n = %d; warn above %.0f%% of the attack's)", NOISE_DRAWS, noiseSuccess, attackSuccess,
                attacked, NOISE_TO_ATTACK * 100);
        return check("noise-vs-attack", "Random noise much weaker than the attack, " + where, ok, detail,
                Map.of("noise_success", noiseSuccess, "attack_success", attackSuccess, "n", (double) attacked));
    }

    static SanityCheck gradients(int zero, int nonFinite, int n) {
        boolean ok = nonFinite == 0 && zero <= ZERO_GRADIENT_SHARE * n;
        String detail = String.format(Locale.ROOT, "%d of %d input gradients are exactly zero, %d have NaN or inf "
                + "(warn above %.0f%% zero or any NaN)", zero, n, nonFinite, ZERO_GRADIENT_SHARE * 100);
        return check("gradients", "Input gradients are finite and non-zero", ok, detail,
                Map.of("zero", (double) zero, "non_finite", (double) nonFinite, "n", (double) n));
    }

    static SanityCheck saturation(int saturated, int n) {
        boolean ok = saturated <= SATURATED_SHARE * n;
        String detail = String.format(Locale.ROOT, "%d of %d top-class probabilities are exactly 1 in float32 "
                + "(warn above %.0f%%: cross-entropy gradients vanish; try a margin or DLR loss)", saturated, n,
                SATURATED_SHARE * 100);
        return check("saturated-outputs", "Outputs are not saturated probabilities", ok, detail,
                Map.of("saturated", (double) saturated, "n", (double) n));
    }

    static SanityCheck determinism(double maxChange, int n) {
        boolean ok = maxChange <= 1e-6;
        String detail = String.format(Locale.ROOT, "outputs of two predictions on the same %d images differ by up to %.3g%s",
                n, maxChange, ok ? "" : ": a randomized model, evaluate it with EOT");
        return check("deterministic-outputs", "Outputs are deterministic", ok, detail, Map.of("max_change", maxChange));
    }

    /** Every attack's robust accuracy, and the worst case, non-increasing along the threat model's eps. */
    static SanityCheck monotone(SuiteConfig.Threat threat, List<SuiteReport.AttackOutcome> results,
            List<SuiteReport.WorstCase> worstCase, double slack) {
        String title = "Robust accuracy falls with eps, " + threat.norm();
        if (threat.curve().size() < 2) {
            return skipped("monotone-in-eps", title, "one eps only");
        }
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        for (SuiteReport.AttackOutcome r : results) {
            if (r.norm().equals(threat.norm())) {
                series.computeIfAbsent(r.attack(), a -> new ArrayList<>()).add(new double[] {r.eps(), r.robustAccuracy()});
            }
        }
        for (SuiteReport.WorstCase w : worstCase) {
            if (w.norm().equals(threat.norm())) {
                series.computeIfAbsent("worst case", a -> new ArrayList<>()).add(new double[] {w.eps(), w.robustAccuracy()});
            }
        }
        double worstRise = 0;
        String where = "";
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            List<double[]> points = s.getValue();
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            for (int i = 1; i < points.size(); i++) {
                double rise = points.get(i)[1] - points.get(i - 1)[1];
                if (rise > worstRise) {
                    worstRise = rise;
                    where = String.format(Locale.ROOT, "%s: %.3f at eps %s, %.3f at eps %s", s.getKey(), points.get(i - 1)[1],
                            fmt(points.get(i - 1)[0]), points.get(i)[1], fmt(points.get(i)[0]));
                }
            }
        }
        boolean ok = worstRise <= slack;
        String detail = worstRise == 0 ? "no attack's robust accuracy rises with eps"
                : String.format(Locale.ROOT, "largest rise %.3f (%s; slack %.3f)", worstRise, where, slack);
        return check("monotone-in-eps", title, ok, detail, Map.of("largest_rise", worstRise, "slack", slack));
    }

    /** Images that black-box or transfer attacks broke and no white-box attack did, at the headline eps. */
    SanityCheck blackBox(SuiteConfig.Threat threat, Map<String, boolean[]> success, boolean[] cleanCorrect, double slack) {
        String title = "Black-box and transfer no stronger than white-box, " + threat.norm() + " eps " + fmt(threat.eps());
        List<String> white = new ArrayList<>();
        List<String> black = new ArrayList<>();
        boolean blackFirst = false;
        for (SuiteConfig.AttackEntry entry : threat.attacks()) {
            boolean isWhite = entry.surrogate() == null && AttackKinds.whiteBox(entry.attack());
            (isWhite ? white : black).add(entry.label());
            blackFirst |= isWhite && !black.isEmpty();
        }
        if (white.isEmpty() || black.isEmpty()) {
            return skipped("black-box-vs-white-box", title, "the suite needs both white-box and black-box or transfer attacks");
        }
        if (suite.cascade() && blackFirst) {
            return skipped("black-box-vs-white-box", title, "in a cascade, list the white-box attacks before the black-box ones");
        }
        int extra = 0;
        for (int i = 0; i < cleanCorrect.length; i++) {
            boolean byWhite = false;
            boolean byBlack = false;
            for (String w : white) {
                byWhite |= success.get(w)[i];
            }
            for (String b : black) {
                byBlack |= success.get(b)[i];
            }
            extra += cleanCorrect[i] && byBlack && !byWhite ? 1 : 0;
        }
        int n = cleanCorrect.length;
        double share = (double) extra / n;
        boolean ok = share <= slack;
        String detail = String.format(Locale.ROOT, "%s broke %d of %d images that %s did not (%.3f; slack %.3f)",
                String.join(", ", black), extra, n, String.join(", ", white), share, slack);
        return check("black-box-vs-white-box", title, ok, detail, Map.of("extra", (double) extra, "n", (double) n, "slack", slack));
    }

    private static SanityCheck check(String id, String title, boolean ok, String detail, Map<String, Double> values) {
        return new SanityCheck(id, title, ok ? Status.PASS : Status.WARN, detail, values);
    }

    private static SanityCheck skipped(String id, String title, String why) {
        return new SanityCheck(id, title, Status.SKIPPED, "skipped: " + why, Map.of());
    }

    static String fmt(double eps) {
        return eps == Math.rint(eps) && Math.abs(eps) < 1e9 ? String.valueOf((long) eps) : String.format(Locale.ROOT, "%.4g", eps);
    }
}
