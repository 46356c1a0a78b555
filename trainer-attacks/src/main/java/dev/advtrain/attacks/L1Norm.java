package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The L1 threat model: each example's perturbation has absolute sum at most eps. Steps are the
 * sparse L1 descent of Tramer and Boneh ("Adversarial Training and Robustness for Multiple
 * Perturbations", NeurIPS 2019, SLIDE): only the coordinates whose |gradient| is at or above the
 * q-th percentile of that example move, by equal amounts along the gradient's sign. Projection onto
 * the ball is exact (Duchi et al., "Efficient Projections onto the l1-Ball", ICML 2008).
 *
 * <p>The percentile is numpy's linear one: with d coordinates, the threshold lies at rank
 * {@code q (d - 1)} of the ascending |gradient|, so {@code d - ceil(q (d - 1))} coordinates move (more
 * on ties; 1 of 36, 8 of 784 and 31 of 3072 at the default q = 0.99). Small inputs want a lower q.
 *
 * <pre>{@code
 * Norm l1 = L1Norm.sparse(0.9); // or L1Norm.INSTANCE, q = 0.99
 * Attack<DifferentiableClassifier> pgd = ProjectedGradientDescent.builder().norm(l1).eps(10).build();
 * }</pre>
 */
public final class L1Norm implements Norm {

    /** Sparse steps with the default percentile q = 0.99. */
    public static final L1Norm INSTANCE = new L1Norm(0.99);

    private static final double TINY = 1e-12;

    private final double q;

    private L1Norm(double q) {
        if (!(q >= 0 && q < 1)) {
            throw new IllegalArgumentException("percentile q must lie in [0, 1), got " + q);
        }
        this.q = q;
    }

    /** Sparse steps that move the coordinates at or above the q-th percentile of |gradient| (q = 0 moves all). */
    public static L1Norm sparse(double q) {
        return new L1Norm(q);
    }

    @Override
    public String id() {
        return "l1";
    }

    /** The percentile of |gradient| that a coordinate must reach to move. */
    public double percentile() {
        return q;
    }

    /**
     * Uniform in the L1 ball: with E_1..E_{d+1} independent Exp(1) draws and independent random
     * signs s_i, the point {@code eps * s_i E_i / (E_1 + ... + E_{d+1})}, i = 1..d.
     */
    @Override
    public INDArray randomStart(INDArray like, double eps, SplittableRandom rng) {
        int n = (int) like.size(0);
        int d = (int) (like.length() / n);
        float[] values = new float[n * d];
        for (int i = 0; i < n; i++) {
            double sum = -Math.log(1.0 - rng.nextDouble());
            for (int j = 0; j < d; j++) {
                double e = -Math.log(1.0 - rng.nextDouble());
                sum += e;
                values[i * d + j] = (float) (rng.nextBoolean() ? e : -e);
            }
            for (int j = 0; j < d; j++) {
                values[i * d + j] *= (float) (eps / sum);
            }
        }
        return Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }

    /**
     * The sparse step: per example, the sign of the gradient on the coordinates with |gradient| at
     * or above the q-th percentile (and non-zero), scaled to unit L1 length. A zero gradient gives
     * a zero step.
     */
    @Override
    public INDArray stepDirection(INDArray gradient) {
        INDArray rows = gradient.dup('c').reshape('c', gradient.size(0), -1);
        int d = (int) rows.size(1);
        INDArray magnitude = Transforms.abs(rows, true);
        INDArray ascending = Nd4j.sort(magnitude.dup(), 1, true);
        int rank = (int) Math.min(d - 1, Math.ceil(q * (d - 1) - 1e-9));
        INDArray nonZero = magnitude.gt(0).castTo(rows.dataType());
        INDArray kept = magnitude.subiColumnVector(ascending.getColumn(rank, true)).gte(0).castTo(rows.dataType())
                .muli(nonZero);
        INDArray count = Transforms.max(kept.sum(true, 1), 1.0, false);
        return Transforms.sign(rows, false).muli(kept).diviColumnVector(count).reshape('c', gradient.shape());
    }

    /**
     * The sparse step that spends no budget on coordinates at a bound of the valid range which the
     * step would push further out: those gradient entries are zeroed before the percentile is taken.
     */
    @Override
    public INDArray stepDirection(INDArray ascent, INDArray point, double clipMin, double clipMax) {
        INDArray up = ascent.gt(0).castTo(ascent.dataType()).muli(point.gte(clipMax).castTo(ascent.dataType()));
        INDArray down = ascent.lt(0).castTo(ascent.dataType()).muli(point.lte(clipMin).castTo(ascent.dataType()));
        return stepDirection(ascent.mul(up.addi(down).rsubi(1.0)));
    }

    /**
     * Exact Euclidean projection per example (Duchi et al. 2008), in double precision: the
     * threshold is {@code theta = max(0, max_j (c_j - eps) / j)} with c_j the sum of the j largest
     * |delta|, and each coordinate shrinks towards zero by theta. Examples inside the ball stay as
     * they are.
     */
    @Override
    public INDArray projectInPlace(INDArray delta, double eps) {
        if (Double.isInfinite(eps)) {
            return delta;
        }
        INDArray rows = delta.reshape('c', delta.size(0), delta.length() / delta.size(0)).castTo(DataType.DOUBLE);
        INDArray magnitude = Transforms.abs(rows, true);
        INDArray outside = magnitude.sum(true, 1).gt(eps).castTo(DataType.DOUBLE);
        if (outside.sumNumber().doubleValue() == 0) {
            return delta;
        }
        INDArray descending = Nd4j.sort(magnitude.dup(), 1, false);
        INDArray ranks = Nd4j.linspace(1, rows.size(1), rows.size(1), DataType.DOUBLE).reshape(1, -1);
        // ND4J's cumsum(1) runs down the column of an [N, 1] array; one coordinate is its own sum.
        INDArray cumulative = rows.size(1) == 1 ? descending : descending.cumsum(1);
        INDArray theta = Transforms.max(cumulative.subi(eps).diviRowVector(ranks).max(true, 1), 0.0, false);
        INDArray shrunk = Transforms.sign(rows, true).muli(Transforms.relu(magnitude.subColumnVector(theta), false));
        // Rows outside the ball take the projection; rows inside keep their exact values.
        INDArray projected = shrunk.muliColumnVector(outside).addi(rows.muliColumnVector(outside.rsub(1.0)));
        return delta.assign(projected.reshape('c', delta.shape()).castTo(delta.dataType()));
    }

    @Override
    public double[] perExampleNorm(INDArray delta) {
        INDArray rows = delta.reshape('c', delta.size(0), delta.length() / delta.size(0)).castTo(DataType.DOUBLE);
        return Transforms.abs(rows, true).sum(1).toDoubleVector();
    }

    @Override
    public String toString() {
        return "l1(q=" + q + ")";
    }
}
