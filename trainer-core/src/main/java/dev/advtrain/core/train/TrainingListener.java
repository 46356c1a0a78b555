package dev.advtrain.core.train;


/**
 * Everything around the training loop (progress, robust validation, metrics files, checkpoints)
 * hangs on these callbacks. Listeners are called in the order they were added.
 */
public interface TrainingListener {

    /** Before the first epoch this run will train (after a resume: the next epoch). */
    default void onTrainingStart(Trainable model, int firstEpoch, int epochs, int batchesPerEpoch) {
    }

    /** After each batch's update. */
    default void onBatchEnd(BatchEvent event) {
    }

    /** After each epoch, in listener order: a listener may add metrics that later ones read. */
    default void onEpochEnd(Trainable model, EpochRecord record) {
    }

    /** After the last epoch. */
    default void onTrainingEnd(Trainable model) {
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
