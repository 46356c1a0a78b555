package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The L-infinity threat model: every pixel may move by at most eps. */
public final class LinfNorm implements Norm {

    /** The one instance; the norm has no state. */
    public static final LinfNorm INSTANCE = new LinfNorm();

    private LinfNorm() {
    }

    @Override
    public String id() {
        return "linf";
    }

    @Override
    public INDArray randomStart(INDArray like, double eps, SplittableRandom rng) {
        float[] values = new float[(int) like.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((2.0 * rng.nextDouble() - 1.0) * eps);
        }
        return Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }

    @Override
    public INDArray stepDirection(INDArray gradient) {
        return Transforms.sign(gradient, true);
    }

    @Override
    public INDArray projectInPlace(INDArray delta, double eps) {
        return Transforms.min(Transforms.max(delta, -eps, false), eps, false);
    }

    @Override
    public double[] perExampleNorm(INDArray delta) {
        INDArray rows = delta.reshape('c', delta.size(0), delta.length() / delta.size(0));
        return Transforms.abs(rows, true).max(1).toDoubleVector();
    }
}
