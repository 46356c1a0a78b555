package dev.advtrain.core.train.loss;

import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The TRADES training loss (Zhang et al. 2019, "Theoretically Principled Trade-off between
 * Robustness and Accuracy"), for a softmax output layer.
 *
 * <p>With p = softmax(clean logits), q = softmax(adversarial logits) and y the true class, the loss
 * of a pair is {@code CE(p, y) + beta * KL(p || q)}, {@code KL(p || q) = sum_k p_k (log p_k - log q_k)},
 * and gradients flow through both the clean and the adversarial logits, as in the official code
 * ({@code KLDivLoss(log_softmax(model(x_adv)), softmax(model(x_natural)))} plus cross-entropy on
 * the natural examples). The paper trains CIFAR-10 with beta = 6.
 *
 * <p>The minibatch is stacked: 2N rows, the N clean examples then their adversarial versions in
 * the same order (row N+i is the adversarial version of row i), labels one-hot with only the
 * clean half's read. DL4J's score is the mean loss over the N pairs (see the package documentation
 * for the scaling). The output layer's activation must be softmax; label masks are rejected. Usage:
 * <pre>{@code
 * new OutputLayer.Builder(new TradesLoss(6.0)).nOut(10).activation(Activation.SOFTMAX).build()
 * }</pre>
 */
public final class TradesLoss extends StackedPairLoss {

    @JsonCreator
    public TradesLoss(@JsonProperty("beta") double beta) {
        super(beta);
    }

    @Override
    double pair(Softmax.Row clean, Softmax.Row adversarial, int label, double[] cleanGradient,
            double[] adversarialGradient) {
        KlTerm kl = KlTerm.of(clean, adversarial, 0.0);
        double[] p = clean.probabilities();
        for (int j = 0; j < p.length; j++) {
            cleanGradient[j] = p[j] - (j == label ? 1.0 : 0.0) + getBeta() * kl.cleanGradient()[j];
            adversarialGradient[j] = getBeta() * kl.adversarialGradient()[j];
        }
        return -clean.log()[label] + getBeta() * kl.value();
    }
}
