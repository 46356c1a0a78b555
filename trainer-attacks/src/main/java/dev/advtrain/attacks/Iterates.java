package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** What the iterative gradient attacks do with their iterates: gradient passes, per-example selection, scores. */
final class Iterates {

    private Iterates() {
    }

    /**
     * One gradient pass of {@code loss} at {@code x} against the criterion's labels. A null loss
     * means the model's own (cross-entropy) through {@code lossGradient}, which gives no logits;
     * when {@code needLogits}, cross-entropy through {@code gradient} instead.
     */
    static LossGradient gradientAt(DifferentiableClassifier model, INDArray x, Loss loss, Criterion criterion,
            boolean needLogits) {
        if (loss == null && !needLogits) {
            return new LossGradient(model.lossGradient(x, criterion.lossLabels()), null);
        }
        return model.gradient(x, loss == null ? Losses.crossEntropy() : loss, criterion.lossLabels());
    }

    /** Per example (row): {@code ifTrue}'s row where {@code mask} is set, else {@code ifFalse}'s (new array). */
    static INDArray selectRows(INDArray mask, INDArray ifTrue, INDArray ifFalse) {
        long n = ifTrue.size(0);
        INDArray take = mask.castTo(ifFalse.dataType()).reshape(n, 1);
        INDArray rows = ifFalse.dup().reshape(n, -1);
        rows.muli(take.rsub(1.0)).addi(ifTrue.reshape(n, -1).mul(take));
        return rows.reshape(ifTrue.shape());
    }

    /**
     * Per-example strength of an iterate, to choose between restarts: success counts above any
     * loss, then the loss in the criterion's direction, taken of the log-probabilities (the same
     * as of the logits for these losses); cross-entropy when {@code loss} is null.
     */
    static INDArray score(INDArray predictions, Criterion criterion, Loss loss) {
        INDArray value;
        if (loss == null) {
            INDArray p = predictions.mul(criterion.lossLabels()).sum(1);
            value = Transforms.log(Transforms.max(p, 1e-12, false), false).negi().muli(criterion.direction());
        } else {
            INDArray logProbabilities = Transforms.log(Transforms.max(predictions, 1e-12, true), false);
            value = loss.value(logProbabilities, criterion.lossLabels()).muli(criterion.direction());
        }
        boolean[] success = criterion.isSuccess(predictions);
        for (int i = 0; i < success.length; i++) {
            if (success[i]) {
                value.putScalar(i, 1e30);
            }
        }
        return value;
    }
}
