package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The L0 threat model, as a share: eps is the largest fraction of an example's values (pixels
 * times channels) that may change, by any amount. The threat model of patch attacks, where eps is
 * the largest share of the image the patch may cover.
 *
 * <p>{@link #perExampleNorm} is the share of values changed (non-zero in delta). Projection keeps,
 * per example, the {@code floor(eps * D)} values with the largest |delta| (ties: the lower index)
 * and zeroes the rest. A random start changes that many values, at random places, by amounts
 * uniform in [-1, 1] (clipping to the valid range follows). The step direction is the gradient
 * scaled to unit L-inf length per example; which values to change is the attack's own choice, so
 * the generic gradient loop does not claim this norm.
 */
public final class L0Norm implements Norm {

    /** The one instance; the norm has no state. */
    public static final L0Norm INSTANCE = new L0Norm();

    private static final double TINY = 1e-12;

    private L0Norm() {
    }

    @Override
    public String id() {
        return "l0";
    }

    /** How many of {@code d} values an eps-share lets change. */
    public static int budget(double eps, long d) {
        return (int) Math.min(d, Math.floor(eps * d + 1e-9));
    }

    @Override
    public INDArray randomStart(INDArray like, double eps, SplittableRandom rng) {
        int n = (int) like.size(0);
        int d = (int) (like.length() / n);
        int k = budget(eps, d);
        double[] values = new double[n * d];
        int[] order = new int[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                order[j] = j;
            }
            for (int j = 0; j < k; j++) {
                int pick = rng.nextInt(j, d);
                int chosen = order[pick];
                order[pick] = order[j];
                order[j] = chosen;
                values[i * d + chosen] = 2.0 * rng.nextDouble() - 1.0;
            }
        }
        return Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }

    @Override
    public INDArray stepDirection(INDArray gradient) {
        INDArray rows = gradient.dup('c').reshape('c', gradient.size(0), -1);
        INDArray largest = Transforms.max(Transforms.abs(rows, true).max(1), TINY, false).reshape(-1, 1);
        return rows.diviColumnVector(largest).reshape('c', gradient.shape());
    }

    @Override
    public INDArray projectInPlace(INDArray delta, double eps) {
        int n = (int) delta.size(0);
        int d = (int) (delta.length() / n);
        int k = budget(eps, d);
        double[] values = delta.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        boolean changed = false;
        for (int i = 0; i < n; i++) {
            changed |= keepLargest(values, i * d, d, k);
        }
        if (changed) {
            delta.assign(Nd4j.create(values, delta.shape(), 'c').castTo(delta.dataType()));
        }
        return delta;
    }

    /** Zeroes all but the k largest |values| in [from, from + d); true if anything was zeroed. */
    private static boolean keepLargest(double[] values, int from, int d, int k) {
        int nonZero = 0;
        for (int j = from; j < from + d; j++) {
            nonZero += values[j] != 0 ? 1 : 0;
        }
        if (nonZero <= k) {
            return false;
        }
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(Math.abs(values[from + b]), Math.abs(values[from + a])));
        for (int r = k; r < d; r++) {
            values[from + order[r]] = 0.0;
        }
        return true;
    }

    @Override
    public double[] perExampleNorm(INDArray delta) {
        INDArray rows = delta.reshape('c', delta.size(0), delta.length() / delta.size(0));
        return rows.neq(0.0).castTo(DataType.DOUBLE).mean(1).toDoubleVector();
    }
}
