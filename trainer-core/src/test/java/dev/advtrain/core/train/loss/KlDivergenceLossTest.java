package dev.advtrain.core.train.loss;

import static dev.advtrain.core.train.loss.StackedBatches.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class KlDivergenceLossTest extends DoublePrecisionTest {

    private static final KlDivergenceLoss KL = KlDivergenceLoss.INSTANCE;

    @Test
    void isZeroWhereTheLogitsGiveTheLabelDistribution() {
        INDArray logits = Nd4j.create(new double[][] {{0.3, -1.2, 2.0}, {5.0, 5.0, -40.0}});
        INDArray p = Nd4j.create(new double[][] {PairReference.softmax(new double[] {0.3, -1.2, 2.0}),
                PairReference.softmax(new double[] {5.0, 5.0, -40.0})});
        INDArray values = KL.value(logits, p);
        assertEquals(0.0, values.getDouble(0), 1e-12);
        assertEquals(0.0, values.getDouble(1), 1e-12);
        assertEquals(0.0, KL.gradient(logits, p).norm2Number().doubleValue(), 1e-12);
    }

    @Test
    void valueIsTheKlDivergenceAndZeroProbabilitiesCountNothing() {
        double[] z = {1.0, 0.0, -1.0};
        double[] q = PairReference.softmax(z);
        INDArray value = KL.value(Nd4j.create(new double[][] {z}), Nd4j.create(new double[][] {{0.0, 0.25, 0.75}}));
        double expected = 0.25 * Math.log(0.25 / q[1]) + 0.75 * Math.log(0.75 / q[2]);
        assertClose(expected, value.getDouble(0), 1e-12, "KL");
        assertTrue(expected > 0);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        INDArray logits = Nd4j.create(new double[][] {{0.3, -1.2, 2.0, 0.1}, {-0.5, 0.4, 0.0, 1.5}});
        INDArray p = Nd4j.create(new double[][] {{0.1, 0.2, 0.3, 0.4}, {0.7, 0.0, 0.2, 0.1}});
        INDArray gradient = KL.gradient(logits, p);
        double h = 1e-6;
        for (int i = 0; i < logits.size(0); i++) {
            for (int k = 0; k < logits.size(1); k++) {
                double original = logits.getDouble(i, k);
                logits.putScalar(i, k, original + h);
                double plus = KL.value(logits, p).getDouble(i);
                logits.putScalar(i, k, original - h);
                double minus = KL.value(logits, p).getDouble(i);
                logits.putScalar(i, k, original);
                assertClose((plus - minus) / (2 * h), gradient.getDouble(i, k), 1e-7, "logit [" + i + ", " + k + "]");
            }
        }
    }
}
