package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One gradient pass of a {@link Loss}: the input gradient and the logits it was taken at.
 *
 * @param input d loss / d x, shaped like x, summed over examples so each row is its own example's
 * @param logits the output layer's pre-activation values at x, [N, C]
 */
public record LossGradient(INDArray input, INDArray logits) {
}
