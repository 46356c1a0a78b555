package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What an attack is after: leaving the true class (untargeted) or reaching a chosen one (targeted).
 *
 * <p>A criterion fixes the labels the loss is taken against, the direction of the step (ascend the
 * loss of the true class, descend the loss of the target class) and what counts as success.
 */
public sealed interface Criterion permits Criterion.Untargeted, Criterion.Targeted {

    /** One-hot labels [N, C] that the attack's loss is computed against. */
    INDArray lossLabels();

    /** +1 to ascend the loss, -1 to descend it. */
    double direction();

    /** Per example: does this prediction satisfy the criterion? */
    boolean[] isSuccess(INDArray predictions);

    /** Any class but the true one. */
    static Untargeted untargeted(INDArray trueLabels) {
        return new Untargeted(trueLabels);
    }

    /** Exactly the given target class. */
    static Targeted targeted(INDArray targetLabels) {
        return new Targeted(targetLabels);
    }

    /** Number of examples the criterion covers. */
    default long size() {
        return lossLabels().size(0);
    }

    /** Untargeted: success when the predicted class differs from the true class. */
    record Untargeted(INDArray trueLabels) implements Criterion {
        @Override
        public INDArray lossLabels() {
            return trueLabels;
        }

        @Override
        public double direction() {
            return 1.0;
        }

        @Override
        public boolean[] isSuccess(INDArray predictions) {
            return compare(predictions, trueLabels, false);
        }
    }

    /** Targeted: success when the predicted class is the target class. */
    record Targeted(INDArray targetLabels) implements Criterion {
        @Override
        public INDArray lossLabels() {
            return targetLabels;
        }

        @Override
        public double direction() {
            return -1.0;
        }

        @Override
        public boolean[] isSuccess(INDArray predictions) {
            return compare(predictions, targetLabels, true);
        }
    }

    private static boolean[] compare(INDArray predictions, INDArray oneHot, boolean wantEqual) {
        long[] predicted = Nd4j.argMax(predictions, 1).toLongVector();
        long[] reference = Nd4j.argMax(oneHot, 1).toLongVector();
        boolean[] success = new boolean[predicted.length];
        for (int i = 0; i < predicted.length; i++) {
            success[i] = (predicted[i] == reference[i]) == wantEqual;
        }
        return success;
    }
}
