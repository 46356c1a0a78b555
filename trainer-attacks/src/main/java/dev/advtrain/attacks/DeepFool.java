package dev.advtrain.attacks;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DeepFool (Moosavi-Dezfooli, Fawzi and Frossard, "DeepFool: a simple and accurate method to fool
 * deep neural networks", CVPR 2016): walks to the nearest linearised decision boundary until the
 * class changes, which approximates the smallest perturbation that fools the model.
 *
 * <p>White-box, L2 or L-inf, <b>untargeted only</b> (a targeted criterion is rejected). Per
 * iteration and still-correct example, one gradient pass per candidate class k gives
 * {@code w_k = grad(z_k - z_y)} and {@code f_k = z_k - z_y}; the step goes to the closest linearised
 * boundary, {@code (|f_l| / ||w_l||_q + 1e-4)} along the norm's unit direction of {@code w_l}
 * ({@code q} the dual norm: 2 for L2, 1 for L-inf), and the total step is applied with an
 * overshoot, {@code x' = clip(x + (1 + overshoot) * r_total)}. An example stops once misclassified.
 * Candidates are the true class's {@code candidates - 1} strongest rivals by clean scores (ART's
 * {@code nb_candidate}).
 *
 * <p>Defaults: name "deepfool", L2, eps +Infinity (unbounded; a finite eps only projects the result
 * into the ball afterwards), overshoot 0.02, 50 iterations, 10 candidates, inputs in [0, 1].
 * Deterministic (the seed is unused).
 *
 * <pre>{@code
 * DeepFool deepFool = DeepFool.builder().norm(LinfNorm.INSTANCE).build();
 * double[] sizes = deepFool.generate(Classifiers.of(net), x, Criterion.untargeted(y)).perturbationNorms();
 * }</pre>
 */
public final class DeepFool extends Attack<DifferentiableClassifier> {

    private static final double TINY = 1e-12;
    private static final double STEP_TOLERANCE = 1e-4;

    private final int maxIterations;
    private final double overshoot;
    private final int candidates;

    private DeepFool(Builder b) {
        super(b);
        requireNorm("DeepFool", "l2", "linf");
        if (b.maxIterations < 1 || b.candidates < 2 || !(b.overshoot >= 0)) {
            throw new IllegalArgumentException("need iterations >= 1, candidates >= 2, overshoot >= 0; got "
                    + b.maxIterations + ", " + b.candidates + ", " + b.overshoot);
        }
        this.maxIterations = b.maxIterations;
        this.overshoot = b.overshoot;
        this.candidates = b.candidates;
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        if (!(criterion instanceof Criterion.Untargeted)) {
            throw new IllegalArgumentException("DeepFool is untargeted only; use C&W or PGD for a targeted criterion");
        }
        int n = (int) x.size(0);
        INDArray x0 = workingCopy(x).reshape('c', n, x.length() / n);
        INDArray adversarial = x0.dup();
        INDArray total = Nd4j.zerosLike(x0);
        INDArray labels = criterion.lossLabels();
        int[] truth = Nd4j.argMax(labels, 1).toIntVector();
        int[][] rivals = rivals(Losses.rows(model.predict(image(x0, x.shape()))), truth);
        queries.countAll();
        int[] active = IntStream.range(0, n).toArray();
        for (int it = 0; ; it++) {
            INDArray current = Nd4j.pullRows(adversarial, 1, active);
            LossGradient first = model.gradient(image(current, x.shape()), new LogitDifference(column(rivals, active, 0)),
                    Nd4j.pullRows(labels, 1, active));
            queries.count(active);
            double[][] logits = Losses.rows(first.logits());
            int[] predicted = Losses.argMaxRows(logits);
            int[] before = active;
            int[] keep = IntStream.range(0, before.length).filter(i -> predicted[i] == truth[before[i]]).toArray();
            if (keep.length == 0 || it == maxIterations) {
                break;
            }
            active = Arrays.stream(keep).map(i -> before[i]).toArray();
            current = Nd4j.pullRows(current, 1, keep);
            INDArray subLabels = Nd4j.pullRows(labels, 1, active);
            INDArray[] normals = new INDArray[rivals[0].length];
            normals[0] = Nd4j.pullRows(flatRows(first.input()), 1, keep);
            for (int j = 1; j < normals.length; j++) {
                normals[j] = flatRows(model.gradient(image(current, x.shape()), new LogitDifference(column(rivals, active, j)),
                        subLabels).input());
                queries.count(active);
            }
            double[][] gaps = new double[keep.length][normals.length];
            for (int i = 0; i < keep.length; i++) {
                for (int j = 0; j < normals.length; j++) {
                    gaps[i][j] = logits[keep[i]][rivals[active[i]][j]] - logits[keep[i]][truth[active[i]]];
                }
            }
            INDArray step = closestBoundaryStep(normals, gaps);
            for (int i = 0; i < active.length; i++) {
                INDArray r = total.getRow(active[i]).addi(step.getRow(i));
                adversarial.putRow(active[i], clipToRangeInPlace(r.mul(1 + overshoot).addi(x0.getRow(active[i]))));
            }
        }
        return adversarial.reshape('c', x.shape());
    }

    /** Per example, the step onto the nearest linearised boundary among the candidates (plus 1e-4). */
    private INDArray closestBoundaryStep(INDArray[] normals, double[][] gaps) {
        int r = gaps.length;
        double[][] distance = new double[r][normals.length];
        for (int j = 0; j < normals.length; j++) {
            double[] dual = ("linf".equals(norm.id()) ? normals[j].norm1(1) : normals[j].norm2(1)).toDoubleVector();
            for (int i = 0; i < r; i++) {
                distance[i][j] = Math.abs(gaps[i][j]) / (dual[i] + TINY);
            }
        }
        INDArray step = Nd4j.zerosLike(normals[0]);
        for (int j = 0; j < normals.length; j++) {
            double[] coefficient = new double[r];
            for (int i = 0; i < r; i++) {
                int nearest = 0;
                for (int k = 1; k < normals.length; k++) {
                    nearest = distance[i][k] < distance[i][nearest] ? k : nearest;
                }
                coefficient[i] = nearest == j ? distance[i][j] + STEP_TOLERANCE : 0.0;
            }
            INDArray column = Nd4j.createFromArray(coefficient).castTo(step.dataType()).reshape(r, 1);
            step.addi(norm.stepDirection(normals[j]).muliColumnVector(column));
        }
        return step;
    }

    /** For each example, the {@code candidates - 1} classes other than its own with the highest scores. */
    private int[][] rivals(double[][] scores, int[] truth) {
        int count = Math.min(candidates, scores[0].length) - 1;
        int[][] result = new int[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            double[] s = scores[i];
            int own = truth[i];
            result[i] = IntStream.range(0, s.length).filter(k -> k != own).boxed()
                    .sorted((a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b))
                    .limit(count).mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    private static int[] column(int[][] rivals, int[] rows, int j) {
        return Arrays.stream(rows).map(i -> rivals[i][j]).toArray();
    }

    /** A copy of the batch as flat rows [N, D]; {@link #image} shapes rows back. */
    private static INDArray flatRows(INDArray batch) {
        return batch.dup('c').reshape('c', batch.size(0), batch.length() / batch.size(0));
    }

    private static INDArray image(INDArray flatRows, long[] shape) {
        long[] s = shape.clone();
        s[0] = flatRows.size(0);
        return flatRows.dup('c').reshape('c', s);
    }

    /** Iterations (linearised steps) at most per example. */
    public int maxIterations() {
        return maxIterations;
    }

    /** Builder for {@link DeepFool}. */
    public static final class Builder extends AttackBuilder<Builder> {
        private int maxIterations = 50;
        private double overshoot = 0.02;
        private int candidates = 10;

        private Builder() {
            super("deepfool", L2Norm.INSTANCE, Double.POSITIVE_INFINITY);
        }

        /** Linearised steps at most (default 50). */
        public Builder maxIterations(int iterations) {
            this.maxIterations = iterations;
            return this;
        }

        /** Factor by which the total step overshoots the boundary (default 0.02). */
        public Builder overshoot(double overshoot) {
            this.overshoot = overshoot;
            return this;
        }

        /** Classes considered: the true class and its strongest rivals by clean scores (default 10). */
        public Builder candidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        public DeepFool build() {
            return new DeepFool(this);
        }
    }
}
