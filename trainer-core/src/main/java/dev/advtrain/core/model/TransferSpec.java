package dev.advtrain.core.model;

import dev.advtrain.core.UserErrorException;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What to change in a loaded network before fine-tuning it; see {@link FineTuning}.
 *
 * @param freeze how many leading layers to freeze (a MultiLayerNetwork's first layer indices, a
 *     ComputationGraph's first layer vertices in topological order); 0 for none
 * @param freezeUpTo freeze this layer and every layer before it (for a graph: every layer it
 *     depends on); null for none. At most one of {@code freeze} and {@code freezeUpTo} is given
 * @param numClasses the class count of a new, freshly initialised output layer; 0 keeps the
 *     output layer
 * @param updater the optimiser (with its learning rate schedule) of every layer that is not frozen,
 *     in place of the network's own; null keeps the network's updaters
 */
public record TransferSpec(int freeze, String freezeUpTo, int numClasses, IUpdater updater) {

    /** Nothing changes. */
    public static final TransferSpec NONE = new TransferSpec(0, null, 0, null);

    /** Validates what does not depend on the network. */
    public TransferSpec {
        if (freeze < 0) {
            throw new UserErrorException("finetune.freeze must be 0 or more; got " + freeze);
        }
        if (freeze > 0 && freezeUpTo != null) {
            throw new UserErrorException("give finetune.freeze or finetune.freeze_up_to, not both");
        }
        if (numClasses != 0 && numClasses < 2) {
            throw new UserErrorException("finetune.num_classes must be at least 2; got " + numClasses);
        }
    }
}
