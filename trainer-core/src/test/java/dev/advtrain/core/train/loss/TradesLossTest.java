package dev.advtrain.core.train.loss;

import static dev.advtrain.core.train.loss.StackedBatches.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

class TradesLossTest extends DoublePrecisionTest {

    @Test
    void identicalHalvesGiveTheCleanCrossEntropyAndNoAdversarialGradient() {
        DataSet clean = StackedBatches.logits(2, 2.0, 4);
        INDArray half = clean.getFeatures().get(NDArrayIndex.interval(0, 2));
        INDArray labels = clean.getLabels().get(NDArrayIndex.interval(0, 2));
        INDArray logits = Nd4j.vstack(half, half);
        INDArray stackedLabels = Nd4j.vstack(labels, labels);
        ActivationSoftmax softmax = new ActivationSoftmax();
        TradesLoss trades = new TradesLoss(6.0);

        double crossEntropy = new LossMCXENT().computeScore(labels, half, softmax, null, true);
        assertClose(crossEntropy, trades.computeScore(stackedLabels, logits, softmax, null, true), 1e-9, "score");
        INDArray gradient = trades.computeGradient(stackedLabels, logits, softmax, null);
        assertEquals(0.0, gradient.get(NDArrayIndex.interval(2, 4)).norm2Number().doubleValue(), 1e-12);
        INDArray expectedClean = new LossMCXENT().computeGradient(labels, half, softmax, null).muli(2);
        assertEquals(expectedClean, gradient.get(NDArrayIndex.interval(0, 2)));
    }

    @Test
    void betaMustBeFiniteAndNonNegative() {
        assertThrows(IllegalArgumentException.class, () -> new TradesLoss(-1));
        assertThrows(IllegalArgumentException.class, () -> new TradesLoss(Double.NaN));
        assertEquals("TradesLoss(beta=6.0)", new TradesLoss(6).toString());
    }
}
