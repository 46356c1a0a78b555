package dev.advtrain.core.train.recipe;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a training recipe turns one batch into optimiser steps: the part of the loop that differs
 * between PGD-AT, fast AT, N-FGSM, free AT, TRADES and MART. {@link BatchTrainers#of} builds them.
 */
public interface BatchTrainer {

    /**
     * Trains on one batch.
     *
     * @param batch the batch and how to attack it
     * @param sampler shown the batch's clean and adversarial examples before the first update, for
     *     the training metrics
     * @return the mean training loss of the batch's updates
     */
    double train(Batch batch, Sampler sampler);

    /**
     * One batch of training data.
     *
     * @param index the batch's index since the start of training
     * @param eps this batch's eps, after any warm-up
     * @param stepScale the factor the training attack's configured step size is multiplied by
     * @param seed the seed of the batch's random choices
     */
    record Batch(INDArray features, INDArray labels, long index, double eps, double stepScale, long seed) {
        int size() {
            return (int) features.size(0);
        }
    }

    /** Receives the clean and the adversarial examples a batch trains on (either may have 0 rows). */
    interface Sampler {
        void sample(INDArray clean, INDArray cleanLabels, INDArray adversarial, INDArray adversarialLabels);
    }
}
