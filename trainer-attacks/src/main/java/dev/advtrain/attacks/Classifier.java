package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a black-box attacker may see of a model: its outputs, nothing else.
 *
 * <p>Implementations answer in inference mode (no dropout, batch norm on running statistics) and
 * leave the underlying network exactly as they found it.
 */
public interface Classifier {

    /**
     * Class scores (the network's output, typically softmax probabilities) for a batch.
     *
     * @param x inputs shaped as the model takes them, e.g. [N, 784] or [N, 1, 28, 28]
     * @return [N, numClasses]
     */
    INDArray predict(INDArray x);

    /** Number of classes the model predicts. */
    int numClasses();
}
