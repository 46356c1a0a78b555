package dev.advtrain.core.train;

/** A batch's training loss was NaN or infinite: the weights are no longer usable. */
public final class TrainingDivergedException extends RuntimeException {

    private final int epoch;

    /** @param batch the 0-based batch (on Spark: the last of the epoch) whose loss was {@code loss} */
    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("training diverged: the loss of epoch " + epoch + ", batch " + (batch + 1) + " is " + loss);
        this.epoch = epoch;
    }

    /** The epoch in which the loss stopped being finite (1-based). */
    public int epoch() {
        return epoch;
    }
}
