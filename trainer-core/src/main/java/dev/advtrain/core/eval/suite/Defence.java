package dev.advtrain.core.eval.suite;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.transform.BackwardPassDifferentiableApproximation;
import dev.advtrain.attacks.transform.BitDepthReduction;
import dev.advtrain.attacks.transform.DefendedClassifier;
import dev.advtrain.attacks.transform.ExpectationOverTransformation;
import dev.advtrain.attacks.transform.GaussianNoise;
import dev.advtrain.attacks.transform.InputTransform;
import dev.advtrain.attacks.transform.JpegCompression;
import dev.advtrain.attacks.transform.MedianFilter;
import dev.advtrain.attacks.transform.RandomResizePad;
import java.util.ArrayList;
import java.util.List;

/**
 * An input-preprocessing defence put in front of a model, with the three ways to see it: as
 * deployed (one fresh draw of the transform per prediction), as a naive white-box attacker
 * differentiates it (the pipeline's own gradient: zero through quantisation and JPEG, single noisy
 * draws through random transforms), and as the adaptive attack that defeats it sees it: BPDA, the
 * identity in the backward pass, for the transforms that destroy or distort gradients (bit depth,
 * median, JPEG); EOT, gradients averaged over draws, for the random ones (noise, resize and pad).
 *
 * <pre>{@code
 * Defence squeeze = Defence.of(new SuiteConfig.DefenceEntry("bit-depth", 3, null, null, null, null));
 * DifferentiableClassifier attackerView = squeeze.adaptiveView(Classifiers.of(net), 10, seed);
 * }</pre>
 *
 * @param description e.g. {@code bit-depth(3)}
 * @param transform the transformation applied to every input
 * @param random whether it draws anew for every input (EOT) rather than being fixed (BPDA)
 */
public record Defence(String description, InputTransform transform, boolean random) {

    /** The defence an entry of the suite names; IllegalArgumentException naming a wrong or missing key. */
    public static Defence of(SuiteConfig.DefenceEntry e) {
        if (e.type() == null) {
            throw new IllegalArgumentException("name the defence's type: bit-depth, median, gaussian-noise, jpeg or resize-pad");
        }
        Defence defence = switch (e.type()) {
            case "bit-depth" -> new Defence("bit-depth(" + require(e.bits(), "bits") + ")",
                    new BitDepthReduction(e.bits()), false);
            case "median" -> new Defence("median(" + require(e.size(), "size") + ")", new MedianFilter(e.size()), false);
            case "jpeg" -> new Defence("jpeg(" + require(e.quality(), "quality") + ")", new JpegCompression(e.quality()), false);
            case "gaussian-noise" -> new Defence("gaussian-noise(" + require(e.sigma(), "sigma") + ")",
                    new GaussianNoise(e.sigma(), 0.0, 1.0), true);
            case "resize-pad" -> new Defence("resize-pad(" + require(e.minSize(), "min_size") + ")",
                    new RandomResizePad(e.minSize()), true);
            default -> throw new IllegalArgumentException("unknown defence type '" + e.type()
                    + "' (known: bit-depth, median, gaussian-noise, jpeg, resize-pad)");
        };
        List<String> extra = new ArrayList<>();
        String own = switch (e.type()) {
            case "bit-depth" -> "bits";
            case "median" -> "size";
            case "jpeg" -> "quality";
            case "gaussian-noise" -> "sigma";
            default -> "min_size";
        };
        addIfSet(extra, "bits", e.bits(), own);
        addIfSet(extra, "size", e.size(), own);
        addIfSet(extra, "sigma", e.sigma(), own);
        addIfSet(extra, "quality", e.quality(), own);
        addIfSet(extra, "min_size", e.minSize(), own);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(e.type() + " takes only '" + own + "', not " + String.join(", ", extra));
        }
        return defence;
    }

    /** How the adaptive attack sees this defence: {@code eot} or {@code bpda}. */
    public String adaptive() {
        return random ? "eot" : "bpda";
    }

    /** The defended model as deployed: {@code model(t(x))}, one draw per prediction. */
    public DifferentiableClassifier deployed(DifferentiableClassifier model, long seed) {
        return new DefendedClassifier(model, transform, seed);
    }

    /**
     * The naive attacker's view: the pipeline differentiated as it is, one draw per gradient. That is
     * the deployed pipeline itself (its gradient is the pipeline's own), with draws of its own.
     */
    public DifferentiableClassifier naiveView(DifferentiableClassifier model, long seed) {
        return deployed(model, seed);
    }

    /** The adaptive attacker's view: EOT over {@code samples} draws, or BPDA with the identity. */
    public DifferentiableClassifier adaptiveView(DifferentiableClassifier model, int samples, long seed) {
        return random ? new ExpectationOverTransformation(model, transform, samples, seed)
                : new BackwardPassDifferentiableApproximation(model, transform, InputTransform.identity(), seed);
    }

    private static <T> T require(T value, String key) {
        if (value == null) {
            throw new IllegalArgumentException("give '" + key + "'");
        }
        return value;
    }

    private static void addIfSet(List<String> extra, String key, Object value, String own) {
        if (value != null && !key.equals(own)) {
            extra.add("'" + key + "'");
        }
    }
}
