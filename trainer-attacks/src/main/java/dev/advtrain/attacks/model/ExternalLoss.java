package dev.advtrain.attacks.model;

import dev.advtrain.attacks.Loss;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The output-layer loss of a gradient twin: it hands the output layer's pre-activation values
 * (the logits) to an attack's {@link Loss} and returns that loss's gradient, so DL4J's own backward
 * pass carries any loss of the logits back to the input. It also keeps the logits it saw.
 *
 * <p>Never serialised: it only lives in twins built by the adapters.
 */
final class ExternalLoss implements ILossFunction {

    private Loss loss;
    private INDArray logits;

    /** Sets the loss for the next pass and forgets the last logits. */
    void use(Loss loss) {
        this.loss = loss;
        this.logits = null;
    }

    /** The logits of the last backward pass, outside any workspace. */
    INDArray logits() {
        if (logits == null) {
            throw new IllegalStateException("the output layer's loss was not reached");
        }
        return logits;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkNoMask(mask);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            logits = preOutput.dup();
            return loss.gradient(logits, labels);
        }
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        checkNoMask(mask);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return loss.value(preOutput.dup(), labels).reshape(-1, 1);
        }
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "external(" + (loss == null ? "none" : loss.id()) + ")";
    }

    private static void checkNoMask(INDArray mask) {
        if (mask != null) {
            throw new IllegalArgumentException("attack losses do not support label masks");
        }
    }
}
