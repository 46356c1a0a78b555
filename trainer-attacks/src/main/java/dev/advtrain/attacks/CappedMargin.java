package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Carlini-Wagner margin with its confidence cap,
 * {@code f = max(sign * (max_{j != y} z_j - z_y), -kappa)}: with sign -1 and the true labels it is
 * the untargeted {@code max(z_y - max_{j != y} z_j, -kappa)}, with sign +1 and the target labels the
 * targeted {@code max(max_{j != t} z_j - z_t, -kappa)}. Its gradient is zero past the cap.
 * Vectorised over the batch (no per-row copies).
 */
final class CappedMargin implements Loss {

    private static final double EXCLUDED = 1e30;

    private final double sign;
    private final double kappa;

    CappedMargin(double sign, double kappa) {
        this.sign = sign;
        this.kappa = kappa;
    }

    @Override
    public String id() {
        return "cw-margin";
    }

    @Override
    public INDArray value(INDArray logits, INDArray labels) {
        INDArray oneHot = labels.castTo(logits.dataType());
        INDArray margin = rivals(logits, oneHot).max(1).subi(logits.mul(oneHot).sum(1));
        return Transforms.max(margin.muli(sign), -kappa, false);
    }

    @Override
    public INDArray gradient(INDArray logits, INDArray labels) {
        INDArray oneHot = labels.castTo(logits.dataType());
        INDArray rivals = rivals(logits, oneHot);
        int[] strongest = Nd4j.argMax(rivals, 1).toIntVector();
        INDArray gradient = oneHot.neg();
        for (int i = 0; i < strongest.length; i++) {
            gradient.putScalar(i, strongest[i], 1.0);
        }
        INDArray uncapped = rivals.max(1).subi(logits.mul(oneHot).sum(1)).muli(sign).gt(-kappa)
                .castTo(logits.dataType()).muli(sign);
        return gradient.muliColumnVector(uncapped.reshape(-1, 1));
    }

    /** The logits with the label's class pushed out of reach of a row maximum. */
    private static INDArray rivals(INDArray logits, INDArray oneHot) {
        return oneHot.mul(-EXCLUDED).addi(logits);
    }
}
