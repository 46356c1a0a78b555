package dev.advtrain.core.train;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Everything around the training loop (progress, robust validation, metrics files, checkpoints)
 * hangs on these callbacks. Listeners are called in the order they were added.
 */
public interface TrainingListener {

    /** Before the first epoch this run will train (after a resume: the next epoch). */
    default void onTrainingStart(MultiLayerNetwork network, int firstEpoch, int epochs, int batchesPerEpoch) {
    }

    /** After each batch's update. */
    default void onBatchEnd(BatchEvent event) {
    }

    /** After each epoch, in listener order: a listener may add metrics that later ones read. */
    default void onEpochEnd(MultiLayerNetwork network, EpochRecord record) {
    }

    /** After the last epoch. */
    default void onTrainingEnd(MultiLayerNetwork network) {
    }

    /**
     * One finished batch.
     *
     * @param epoch 1-based epoch
     * @param batch 0-based batch within the epoch
     * @param iteration the network's iteration count after the update
     * @param eps the training attack's eps for this batch
     * @param adversarial adversarial examples in the batch
     * @param loss the batch's training loss (mean over clean and adversarial examples)
     */
    record BatchEvent(int epoch, int batch, int batchesPerEpoch, long iteration, double eps, int adversarial,
            double loss) {
    }
}
