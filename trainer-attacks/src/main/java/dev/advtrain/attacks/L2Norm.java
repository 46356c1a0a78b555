package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The L2 threat model: each example's perturbation has Euclidean length at most eps. */
public final class L2Norm implements Norm {

    /** The one instance; the norm has no state. */
    public static final L2Norm INSTANCE = new L2Norm();

    private static final double TINY = 1e-12;

    private L2Norm() {
    }

    @Override
    public String id() {
        return "l2";
    }

    /** Uniform in the ball: a Gaussian direction scaled to radius {@code eps * u^(1/d)}. */
    @Override
    public INDArray randomStart(INDArray like, double eps, SplittableRandom rng) {
        int n = (int) like.size(0);
        int d = (int) (like.length() / n);
        float[] values = new float[n * d];
        for (int i = 0; i < n; i++) {
            double length = 0;
            for (int j = 0; j < d; j++) {
                double g = gaussian(rng);
                values[i * d + j] = (float) g;
                length += g * g;
            }
            double radius = eps * Math.pow(rng.nextDouble(), 1.0 / d) / Math.max(Math.sqrt(length), TINY);
            for (int j = 0; j < d; j++) {
                values[i * d + j] *= (float) radius;
            }
        }
        return Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }

    /** The gradient scaled to unit L2 length per example. */
    @Override
    public INDArray stepDirection(INDArray gradient) {
        INDArray rows = gradient.dup('c').reshape('c', gradient.size(0), -1);
        INDArray lengths = Transforms.max(rows.norm2(1), TINY, false).reshape(-1, 1);
        return rows.diviColumnVector(lengths).reshape('c', gradient.shape());
    }

    @Override
    public INDArray projectInPlace(INDArray delta, double eps) {
        if (Double.isInfinite(eps)) {
            return delta;
        }
        INDArray rows = delta.reshape('c', delta.size(0), -1);
        INDArray lengths = rows.norm2(1);
        INDArray factor = Transforms.min(Transforms.max(lengths, TINY, false).rdivi(eps), 1.0, false).reshape(-1, 1);
        INDArray projected = rows.mulColumnVector(factor);
        return delta.assign(projected.reshape('c', delta.shape()));
    }

    @Override
    public double[] perExampleNorm(INDArray delta) {
        return delta.reshape('c', delta.size(0), delta.length() / delta.size(0)).norm2(1).toDoubleVector();
    }

    /** A standard normal draw (Box-Muller), from the attack's own seeded generator. */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * rng.nextDouble());
    }
}
