package dev.advtrain.core.train.loss;

import dev.advtrain.attacks.Loss;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code KL(p || softmax(z))} per row, where the "labels" are soft probability rows p (in TRADES,
 * the model's prediction on the clean example) rather than one-hot classes:
 * <pre>
 * value       = sum_k p_k (log p_k - log q_k),   q = softmax(z), 0 log 0 = 0
 * d value / dz = q * sum_k p_k - p               (= q - p when p sums to 1)
 * </pre>
 * The inner attack of TRADES ({@link TradesAttack}) ascends it.
 */
public final class KlDivergenceLoss implements Loss {

    /** The one instance; the loss has no state. */
    public static final KlDivergenceLoss INSTANCE = new KlDivergenceLoss();

    private KlDivergenceLoss() {
    }

    @Override
    public String id() {
        return "kl";
    }

    @Override
    public INDArray value(INDArray logits, INDArray labels) {
        KlTerm[] rows = rows(logits, labels);
        double[] values = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = rows[i].value();
        }
        return Nd4j.createFromArray(values).castTo(logits.dataType());
    }

    @Override
    public INDArray gradient(INDArray logits, INDArray labels) {
        KlTerm[] rows = rows(logits, labels);
        double[][] gradient = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            gradient[i] = rows[i].adversarialGradient();
        }
        return Nd4j.create(gradient).castTo(logits.dataType());
    }

    /** Each row's KL(p || softmax(z)), with its gradients. */
    private static KlTerm[] rows(INDArray logits, INDArray labels) {
        int n = (int) logits.size(0);
        int c = (int) logits.size(1);
        double[] z = Softmax.flat(logits);
        double[] p = Softmax.flat(labels);
        KlTerm[] rows = new KlTerm[n];
        for (int i = 0; i < n; i++) {
            double[] target = Softmax.row(p, i, c);
            Softmax.Row given = new Softmax.Row(Arrays.stream(target).map(Math::log).toArray(), target);
            rows[i] = KlTerm.of(given, Softmax.Row.of(Softmax.row(z, i, c)), 0.0);
        }
        return rows;
    }

    @Override
    public String toString() {
        return id();
    }
}
