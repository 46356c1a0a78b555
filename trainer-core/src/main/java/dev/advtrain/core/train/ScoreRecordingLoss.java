package dev.advtrain.core.train;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A loss that delegates and remembers the mean score of the last gradient computation: a backward
 * pass from {@code calculateGradients} computes no score of its own. Lives only while a step runs,
 * never serialised.
 */
final class ScoreRecordingLoss implements ILossFunction {

    private final ILossFunction delegate;
    private double meanScore = Double.NaN;

    ScoreRecordingLoss(ILossFunction delegate) {
        this.delegate = delegate;
    }

    /** The mean loss over the rows of the last gradient computation (without regularisation). */
    double meanScore() {
        return meanScore;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        meanScore = delegate.computeScore(labels, preOutput.dup(), activationFn, mask, true);
        return delegate.computeGradient(labels, preOutput, activationFn, mask);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        return delegate.computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return delegate.computeScoreArray(labels, preOutput, activationFn, mask);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
            IActivation activationFn, INDArray mask, boolean average) {
        return delegate.computeGradientAndScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public String name() {
        return delegate.name();
    }
}
