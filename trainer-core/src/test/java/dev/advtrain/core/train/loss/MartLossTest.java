package dev.advtrain.core.train.loss;

import static dev.advtrain.core.train.loss.StackedBatches.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MartLossTest extends DoublePrecisionTest {

    private static final double BETA = 6.0;

    @Test
    void cleanGradientFlowsThroughTheTrueClassProbability() {
        double[] clean = {1.2, -0.4, 0.3};
        double[] adversarial = {0.1, 0.9, -0.2};
        INDArray logits = Nd4j.create(new double[][] {clean, adversarial});
        INDArray labels = Nd4j.create(new double[][] {{1, 0, 0}, {1, 0, 0}});
        MartLoss mart = new MartLoss(BETA);

        INDArray analytic = mart.computeGradient(labels, logits, new ActivationSoftmax(), null);
        INDArray numeric = StackedBatches.numericalLogitGradient(mart, labels, logits, 1e-6);
        double[] detached = gradientWithTrueProbabilityDetached(clean, adversarial, 0);
        double difference = 0;
        for (int k = 0; k < clean.length; k++) {
            assertClose(numeric.getDouble(0, k), analytic.getDouble(0, k), 1e-7, "clean logit " + k);
            difference += Math.abs(analytic.getDouble(0, k) - detached[k]);
        }
        assertTrue(difference > 0.1,
                "the clean gradient ignores 1 - p_y: differs from the detached one by " + difference);
    }

    @Test
    void theMarginTermUsesTheRunnerUpWhenTheTopClassIsTheLabel() {
        INDArray labels = Nd4j.create(new double[][] {{0, 1, 0}, {0, 1, 0}});
        ActivationSoftmax softmax = new ActivationSoftmax();
        for (double[] adversarial : new double[][] {{0.2, 2.0, 1.0}, {0.2, 1.0, 2.0}, {2.0, 1.0, 0.2}}) {
            double[] clean = {0.5, 0.1, -0.3};
            INDArray logits = Nd4j.create(new double[][] {clean, adversarial});
            double expected = PairReference.mart(clean, adversarial, 1, BETA);
            assertClose(2 * expected, new MartLoss(BETA).computeScore(labels, logits, softmax, null, false), 1e-12,
                    "adversarial logits " + Arrays.toString(adversarial));
        }
    }

    /** 2 * d loss / d clean logits if 1.0000001 - p_y were a constant: beta * (1 - p_y) * d KL / d z. */
    private static double[] gradientWithTrueProbabilityDetached(double[] clean, double[] adversarial, int label) {
        double[] p = PairReference.softmax(clean);
        double[] q = PairReference.softmax(adversarial);
        double kl = 0;
        for (int k = 0; k < p.length; k++) {
            kl += p[k] * (Math.log(p[k]) - Math.log(q[k] + 1e-12));
        }
        double[] gradient = new double[p.length];
        for (int j = 0; j < p.length; j++) {
            double dKl = p[j] * (Math.log(p[j]) - Math.log(q[j] + 1e-12) - kl);
            gradient[j] = 2 * BETA * (1.0000001 - p[label]) * dKl;
        }
        return gradient;
    }
}
