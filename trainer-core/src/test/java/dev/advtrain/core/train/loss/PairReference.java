package dev.advtrain.core.train.loss;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The TRADES and MART pair losses written out the plain way, as in the papers' official code, to
 * check the losses against: no stable log-softmax, no gradients.
 */
final class PairReference {

    /** The loss of one (clean, adversarial) pair. */
    interface Formula {
        double pair(double[] clean, double[] adversarial, int label, double beta);
    }

    private PairReference() {
    }

    /** CE(p, y) + beta * KL(p || q). */
    static double trades(double[] clean, double[] adversarial, int label, double beta) {
        double[] p = softmax(clean);
        double[] q = softmax(adversarial);
        double kl = 0;
        for (int k = 0; k < p.length; k++) {
            kl += p[k] * Math.log(p[k] / q[k]);
        }
        return -Math.log(p[label]) + beta * kl;
    }

    /** The official MART code for one example. */
    static double mart(double[] clean, double[] adversarial, int label, double beta) {
        double[] advProbs = softmax(adversarial);
        Integer[] order = IntStream.range(0, advProbs.length).boxed()
                .sorted(Comparator.comparingDouble(k -> advProbs[k])).toArray(Integer[]::new);
        int top = order[order.length - 1];
        int newY = top == label ? order[order.length - 2] : top;
        double lossAdv = -Math.log(advProbs[label]) - Math.log(1.0001 - advProbs[newY] + 1e-12);
        double[] natProbs = softmax(clean);
        double kl = 0;
        for (int k = 0; k < natProbs.length; k++) {
            kl += natProbs[k] * (Math.log(natProbs[k]) - Math.log(advProbs[k] + 1e-12));
        }
        return lossAdv + beta * kl * (1.0000001 - natProbs[label]);
    }

    static double[] softmax(double[] z) {
        double sum = Arrays.stream(z).map(Math::exp).sum();
        return Arrays.stream(z).map(v -> Math.exp(v) / sum).toArray();
    }
}
