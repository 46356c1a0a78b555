package dev.advtrain.core.model;

import dev.advtrain.core.UserErrorException;

/**
 * What to change in a loaded network before fine-tuning it; see {@link FineTuning}.
 *
 * @param freeze how many leading layers to freeze (a MultiLayerNetwork's first layer indices, a
 *     ComputationGraph's first layer vertices in topological order); 0 for none
 * @param freezeUpTo freeze this layer and every layer before it (for a graph: every layer it
 *     depends on); null for none. At most one of {@code freeze} and {@code freezeUpTo} is given
 * @param numClasses the class count of the new output layer; 0 keeps the output layer
 * @param learningRate the learning rate of the trainable layers (replacing any schedule); NaN
 *     keeps the network's updater as it is
 */
public record TransferSpec(int freeze, String freezeUpTo, int numClasses, double learningRate) {

    /** Nothing changes. */
    public static final TransferSpec NONE = new TransferSpec(0, null, 0, Double.NaN);

    /** Validates what does not depend on the network. */
    public TransferSpec {
        if (freeze < 0) {
            throw new UserErrorException("transfer.freeze must be 0 or more; got " + freeze);
        }
        if (freeze > 0 && freezeUpTo != null) {
            throw new UserErrorException("give transfer.freeze or transfer.freeze_up_to, not both");
        }
        if (numClasses != 0 && numClasses < 2) {
            throw new UserErrorException("transfer.num_classes must be at least 2; got " + numClasses);
        }
        if (!Double.isNaN(learningRate) && !(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new UserErrorException("transfer.learning_rate must be positive; got " + learningRate);
        }
    }
}
