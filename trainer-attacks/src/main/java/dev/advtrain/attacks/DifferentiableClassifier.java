package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a white-box attacker may use: outputs plus the gradient of the model's loss with respect to
 * its input.
 */
public interface DifferentiableClassifier extends Classifier {

    /**
     * Gradient of the summed per-example loss with respect to {@code x}.
     *
     * <p>The loss is the model's own (cross-entropy for a softmax classifier). Because it is a sum,
     * each row is the gradient of that example's own loss, unaffected by the batch size.
     *
     * @param x inputs, shaped as the model takes them
     * @param labels one-hot labels [N, numClasses] the loss is computed against
     * @return dL/dx, shaped like {@code x}, detached from any workspace
     */
    INDArray lossGradient(INDArray x, INDArray labels);

    /**
     * Gradient of the summed per-example {@code loss} of the logits with respect to {@code x}, and
     * the logits at {@code x}, in one forward and backward pass.
     *
     * @param x inputs, shaped as the model takes them
     * @param loss any loss of the output layer's pre-activation values
     * @param labels one-hot labels [N, numClasses] passed to the loss
     * @return d loss / d x (each row its own example's) and the logits, detached from any workspace
     */
    LossGradient gradient(INDArray x, Loss loss, INDArray labels);
}
