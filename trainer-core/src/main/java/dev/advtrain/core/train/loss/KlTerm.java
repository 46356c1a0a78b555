package dev.advtrain.core.train.loss;

/**
 * {@code KL(p || q + floor) = sum_k p_k (log p_k - log(q_k + floor))} for p = softmax(z) and
 * q = softmax(w), with its gradients with respect to both logit rows:
 * <pre>
 * d KL / d z_j = p_j (log p_j - log(q_j + floor) - KL)
 * d KL / d w_j = q_j sum_k r_k - r_j,   r_k = p_k q_k / (q_k + floor)   (= q_j - p_j for floor 0)
 * </pre>
 * Terms with p_k = 0 count nothing (0 log 0 = 0). TRADES uses floor 0, MART 1e-12.
 *
 * @param value the divergence
 * @param cleanGradient d KL / d z
 * @param adversarialGradient d KL / d w
 */
record KlTerm(double value, double[] cleanGradient, double[] adversarialGradient) {

    /** The divergence of {@code adversarial} from {@code clean}; floor 0 uses the exact log q. */
    static KlTerm of(Softmax.Row clean, Softmax.Row adversarial, double floor) {
        double[] p = clean.probabilities();
        double[] q = adversarial.probabilities();
        int classes = p.length;
        double[] logRatio = new double[classes];
        double[] weighted = new double[classes];
        double value = 0;
        double weightedSum = 0;
        for (int k = 0; k < classes; k++) {
            if (p[k] > 0) {
                double logQ = floor == 0 ? adversarial.log()[k] : Math.log(q[k] + floor);
                logRatio[k] = clean.log()[k] - logQ;
                weighted[k] = floor == 0 ? p[k] : p[k] * q[k] / (q[k] + floor);
                value += p[k] * logRatio[k];
                weightedSum += weighted[k];
            }
        }
        double[] cleanGradient = new double[classes];
        double[] adversarialGradient = new double[classes];
        for (int j = 0; j < classes; j++) {
            cleanGradient[j] = p[j] > 0 ? p[j] * (logRatio[j] - value) : 0.0;
            adversarialGradient[j] = q[j] * weightedSum - weighted[j];
        }
        return new KlTerm(value, cleanGradient, adversarialGradient);
    }
}
