package dev.advtrain.core.train.loss;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * An output-layer loss of (clean, adversarial) pairs on a stacked minibatch: preOutput [2N, C]
 * holds the clean logits in rows 0..N-1 and the adversarial logits in rows N..2N-1, row N+i the
 * adversarial version of row i; labels [2N, C] are one-hot and only the clean half's are read.
 *
 * <p>Scaling: DL4J divides the summed score by the row count (2N) and the updater divides the
 * gradient by the minibatch size (2N), so the summed score is {@code 2 * sum_i loss_i} and the
 * gradient is that sum's: what DL4J reports and optimises is then the paper's mean over the N
 * pairs. The per-row score array gives each row its pair's loss, so it sums to the summed score and
 * its mean is the paper's mean.
 *
 * <p>The activation must be softmax; the softmax is recomputed here as a stable log-softmax in
 * double precision. Label masks are not supported.
 */
abstract class StackedPairLoss implements ILossFunction {

    /** Rows per pair: DL4J averages over rows, the papers over pairs. */
    private static final double ROWS_PER_PAIR = 2.0;

    private final double beta;

    StackedPairLoss(double beta) {
        if (!Double.isFinite(beta) || beta < 0) {
            throw new IllegalArgumentException("beta must be finite and at least 0, got " + beta);
        }
        this.beta = beta;
    }

    /** The weight of the robustness (KL) term. */
    @JsonProperty("beta")
    public double getBeta() {
        return beta;
    }

    /**
     * The loss of one pair, with its gradients written into the zeroed arrays.
     *
     * @param clean softmax of the clean logits, length C
     * @param adversarial softmax of the adversarial logits, length C
     * @param label the true class
     * @param cleanGradient d loss / d clean logits, to fill
     * @param adversarialGradient d loss / d adversarial logits, to fill
     */
    abstract double pair(Softmax.Row clean, Softmax.Row adversarial, int label, double[] cleanGradient,
            double[] adversarialGradient);

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            boolean average) {
        return score(pairLosses(labels, preOutput, activationFn, mask, null), preOutput, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] losses = pairLosses(labels, preOutput, activationFn, mask, null);
        double[] rows = new double[2 * losses.length];
        for (int i = 0; i < losses.length; i++) {
            rows[i] = losses[i];
            rows[losses.length + i] = losses[i];
        }
        return Nd4j.create(rows, new long[] {rows.length, 1}, 'c').castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] gradient = new double[(int) preOutput.length()];
        pairLosses(labels, preOutput, activationFn, mask, gradient);
        return Nd4j.create(gradient, preOutput.shape(), 'c').castTo(preOutput.dataType());
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
            INDArray mask, boolean average) {
        double[] gradient = new double[(int) preOutput.length()];
        double[] losses = pairLosses(labels, preOutput, activationFn, mask, gradient);
        return new Pair<>(score(losses, preOutput, average),
                Nd4j.create(gradient, preOutput.shape(), 'c').castTo(preOutput.dataType()));
    }

    /** The summed score {@code 2 * sum_i loss_i}, divided by the row count 2N when averaging. */
    private static double score(double[] losses, INDArray preOutput, boolean average) {
        double sum = ROWS_PER_PAIR * Arrays.stream(losses).sum();
        return average ? sum / preOutput.size(0) : sum;
    }

    /**
     * The loss of every pair; when {@code gradient} is given, fills it (row-major [2N, C]) with the
     * gradient of the summed score.
     */
    private double[] pairLosses(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
            double[] gradient) {
        check(labels, preOutput, activationFn, mask);
        int n = (int) preOutput.size(0) / 2;
        int c = (int) preOutput.size(1);
        double[] logits = Softmax.flat(preOutput);
        double[] oneHot = Softmax.flat(labels);
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            double[] cleanGradient = new double[c];
            double[] adversarialGradient = new double[c];
            losses[i] = pair(Softmax.Row.of(Softmax.row(logits, i, c)), Softmax.Row.of(Softmax.row(logits, n + i, c)),
                    Softmax.argMax(Softmax.row(oneHot, i, c)), cleanGradient, adversarialGradient);
            if (gradient != null) {
                for (int k = 0; k < c; k++) {
                    gradient[i * c + k] = ROWS_PER_PAIR * cleanGradient[k];
                    gradient[(n + i) * c + k] = ROWS_PER_PAIR * adversarialGradient[k];
                }
            }
        }
        return losses;
    }

    private void check(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (mask != null) {
            throw new IllegalArgumentException(this + " does not support label masks");
        }
        if (!(activationFn instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException(this + " needs a softmax output layer, got activation " + activationFn);
        }
        if (preOutput.rank() != 2 || !labels.equalShapes(preOutput)) {
            throw new IllegalArgumentException(this + " needs logits and labels both [2N, C], got "
                    + Arrays.toString(preOutput.shape()) + " and " + Arrays.toString(labels.shape()));
        }
        if (preOutput.size(0) % 2 != 0) {
            throw new IllegalArgumentException(this + " takes a stacked batch of 2N rows (N clean, then their N"
                    + " adversarial versions), got an odd row count " + preOutput.size(0));
        }
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass()
                && Double.compare(((StackedPairLoss) other).beta, beta) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * getClass().getName().hashCode() + Double.hashCode(beta);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(beta=" + beta + ")";
    }
}
