package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A per-example loss of the model's logits that a gradient attack ascends (or, for a targeted
 * criterion, descends).
 *
 * <p>Logits are the output layer's pre-activation values [N, C]. For a softmax classifier every
 * loss here depends only on differences of logits, so it can equally be computed from
 * log-probabilities, which is what score-based black-box attacks see. See {@link Losses} for the
 * cross-entropy, margin (Carlini-Wagner) and DLR (Croce and Hein) losses.
 */
public interface Loss {

    /** Short name used in reports, e.g. {@code "ce"}. */
    String id();

    /**
     * The loss of each example.
     *
     * @param logits [N, C]
     * @param labels one-hot [N, C]: the criterion's loss labels (true class, or target class)
     * @return [N]
     */
    INDArray value(INDArray logits, INDArray labels);

    /** d value / d logits, [N, C], a new array of the logits' data type. */
    INDArray gradient(INDArray logits, INDArray labels);
}
