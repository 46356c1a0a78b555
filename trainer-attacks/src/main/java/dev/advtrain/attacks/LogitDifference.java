package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code z_k - z_y} for a chosen class k per example and the label y: its input gradient is the
 * normal of the linearised boundary between the two classes (DeepFool).
 */
final class LogitDifference implements Loss {

    private final int[] classes;

    /** @param classes k for each row of the batch the loss will see */
    LogitDifference(int[] classes) {
        this.classes = classes.clone();
    }

    @Override
    public String id() {
        return "logit-difference";
    }

    @Override
    public INDArray value(INDArray logits, INDArray labels) {
        return gradient(logits, labels).muli(logits).sum(1);
    }

    @Override
    public INDArray gradient(INDArray logits, INDArray labels) {
        if (logits.size(0) != classes.length) {
            throw new IllegalArgumentException("logit difference for " + classes.length + " rows, got " + logits.size(0));
        }
        INDArray weights = Nd4j.zeros(logits.dataType(), logits.shape());
        for (int i = 0; i < classes.length; i++) {
            weights.putScalar(i, classes[i], 1.0);
        }
        return weights.subi(labels.castTo(logits.dataType()));
    }
}
