package dev.advtrain.core.train.loss;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The MART training loss (Wang et al. 2020, "Improving Adversarial Robustness Requires Revisiting
 * Misclassified Examples"), for a softmax output layer, following the official code exactly.
 *
 * <p>With q = softmax(adversarial logits), p = softmax(clean logits), y the true class and y' the
 * most probable adversarial class other than y, the loss of a pair is
 * <pre>
 * BCE  = -log q_y - log(1.0001 - q_y' + 1e-12)
 * KL   = sum_k p_k (log p_k - log(q_k + 1e-12))
 * loss = BCE + beta * KL * (1.0000001 - p_y)
 * </pre>
 * Gradients flow through both branches, through p_y too (the official code does not detach the
 * clean probabilities); y' is a discrete choice and held constant. The paper's beta is 6 on
 * CIFAR-10.
 *
 * <p>The minibatch is stacked: 2N rows, the N clean examples then their adversarial versions in
 * the same order (row N+i is the adversarial version of row i), labels one-hot with only the
 * clean half's read. DL4J's score is the mean loss over the N pairs (see the package documentation
 * for the scaling). The output layer's activation must be softmax; label masks are rejected. Usage:
 * <pre>{@code
 * new OutputLayer.Builder(new MartLoss(6.0)).nOut(10).activation(Activation.SOFTMAX).build()
 * }</pre>
 */
public final class MartLoss extends StackedPairLoss {

    private static final double MARGIN = 1.0001;
    private static final double FLOOR = 1e-12;
    private static final double CONFIDENCE_SHIFT = 1.0000001;

    @JsonCreator
    public MartLoss(@JsonProperty("beta") double beta) {
        super(beta);
    }

    @Override
    double pair(Softmax.Row clean, Softmax.Row adversarial, int label, double[] cleanGradient,
            double[] adversarialGradient) {
        double[] p = clean.probabilities();
        double[] q = adversarial.probabilities();
        int other = Softmax.largestExcept(q, label);
        double away = MARGIN - q[other] + FLOOR;
        KlTerm kl = KlTerm.of(clean, adversarial, FLOOR);
        double weight = CONFIDENCE_SHIFT - p[label];
        for (int j = 0; j < p.length; j++) {
            double isLabel = j == label ? 1.0 : 0.0;
            double isOther = j == other ? 1.0 : 0.0;
            // d/dw of -log q_y - log(away), then of beta * KL * weight
            adversarialGradient[j] = q[j] - isLabel + q[other] * (isOther - q[j]) / away
                    + getBeta() * weight * kl.adversarialGradient()[j];
            // d weight / d z_j = -p_y (1[j = y] - p_j): the gradient through the true-class probability
            cleanGradient[j] = getBeta()
                    * (weight * kl.cleanGradient()[j] - kl.value() * p[label] * (isLabel - p[j]));
        }
        return -adversarial.log()[label] - Math.log(away) + getBeta() * kl.value() * weight;
    }
}
