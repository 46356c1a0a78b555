package dev.advtrain.attacks;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The search of Auto-PGD (Croce and Hein 2020), shared by {@link AutoPgd} and
 * {@link AutoPgdTargeted}: the state of one batch across runs (restarts, target classes) and one
 * run of the step-size schedule over the examples that have not succeeded yet.
 *
 * <p>Per example it keeps the result so far: the clean input if the model already gets it wrong
 * (the attack leaves it alone, as the reference does), the last adversarial iterate of the first
 * run that found one, or else the highest-loss point of any run. Works on rows [N, D]; the model
 * sees them in the input's own shape.
 */
final class ApgdSearch {

    /** What one run needs besides the model and the batch. */
    record Settings(Norm norm, double eps, int iterations, double rho, double momentum, double initialStep) {
    }

    private static final double TINY = 1e-12;

    private final DifferentiableClassifier model;
    private final Settings settings;
    private final BinaryOperator<INDArray> constrain;
    private final QueryCounter queries;
    private final SplittableRandom rng;
    private final Criterion criterion;
    private final long[] shape;
    private final INDArray x;
    private final INDArray result;
    private final double[] resultLoss;
    private final boolean[] success;
    private final INDArray cleanLogits;
    private final int[] checkpoints;

    /**
     * Starts the search with one gradient pass at the clean inputs (for the logits).
     *
     * @param constrain projects a candidate (second argument) into the eps-ball around the first and the valid range
     */
    ApgdSearch(DifferentiableClassifier model, INDArray x, Criterion criterion, Settings settings,
            BinaryOperator<INDArray> constrain, QueryCounter queries, long seed) {
        this.model = model;
        this.settings = settings;
        this.constrain = constrain;
        this.queries = queries;
        this.rng = new SplittableRandom(seed);
        this.criterion = criterion;
        this.shape = x.shape();
        int n = (int) x.size(0);
        this.x = (x.dataType().isFPType() ? x.dup('c') : x.castTo(Nd4j.defaultFloatingPointType())).reshape('c', n, -1);
        this.result = this.x.dup();
        this.resultLoss = new double[n];
        Arrays.fill(resultLoss, Double.NEGATIVE_INFINITY);
        this.cleanLogits = model.gradient(this.x.reshape('c', shape), Losses.crossEntropy(), criterion.lossLabels()).logits();
        queries.countAll();
        this.success = criterion.isSuccess(cleanLogits);
        this.checkpoints = AutoPgd.checkpoints(settings.iterations());
    }

    /** The logits at the clean inputs, [N, C]. */
    INDArray cleanLogits() {
        return cleanLogits;
    }

    /** The result so far, shaped like the input. */
    INDArray result() {
        return result.reshape('c', shape);
    }

    /**
     * One run of APGD from a random start over the examples not yet successful; merges its outcome
     * into the result.
     *
     * @param lossFor the loss to ascend (in the criterion's direction) for the given batch rows
     */
    void run(Function<int[], Loss> lossFor) {
        int[] rows = IntStream.range(0, success.length).filter(i -> !success[i]).toArray();
        if (rows.length == 0) {
            return;
        }
        boolean all = rows.length == success.length;
        INDArray xs = all ? x : Nd4j.pullRows(x, 1, rows);
        INDArray labels = all ? criterion.lossLabels() : Nd4j.pullRows(criterion.lossLabels(), 1, rows);
        Criterion part = criterion instanceof Criterion.Targeted ? Criterion.targeted(labels) : Criterion.untargeted(labels);
        new Run(xs, part, lossFor.apply(rows), rows).execute();
    }

    /** One run: Algorithm 1 of the paper, as the reference implementation (autopgd_base.py) computes it. */
    private final class Run {
        private final INDArray xs;
        private final Criterion part;
        private final Loss loss;
        private final int[] rows;
        private final int m;
        private INDArray grad;
        private double[] objective;
        private boolean[] succeeded;

        Run(INDArray xs, Criterion part, Loss loss, int[] rows) {
            this.xs = xs;
            this.part = part;
            this.loss = loss;
            this.rows = rows;
            this.m = rows.length;
        }

        void execute() {
            Norm norm = settings.norm();
            double eps = settings.eps();
            // Start on the sphere of radius eps (the reference normalises its random draw), clipped to the range.
            INDArray start = norm.randomStart(xs, eps, rng);
            double[] radius = norm.perExampleNorm(start);
            start.muliColumnVector(column(i -> eps / Math.max(radius[i], TINY)));
            INDArray current = constrain.apply(xs, start.addi(xs));
            evaluate(current);
            INDArray adversarial = current.dup();
            boolean[] found = succeeded.clone();
            INDArray best = current.dup();
            INDArray bestGrad = grad.dup();
            double[] bestLoss = objective.clone();
            double[] lastLoss = objective.clone();
            double[] bestAtCheck = bestLoss.clone();
            boolean[] reducedAtCheck = new boolean[m];
            Arrays.fill(reducedAtCheck, true);
            int[] increases = new int[m];
            double[] step = new double[m];
            Arrays.fill(step, settings.initialStep());
            INDArray previous = current;
            int checkpoint = 0;
            int windowStart = 0;
            for (int i = 0; i < settings.iterations(); i++) {
                INDArray momentumTerm = current.sub(previous);
                previous = current;
                double a = i == 0 ? 1.0 : settings.momentum();
                INDArray z = constrain.apply(xs, norm.stepDirection(grad).muliColumnVector(column(j -> step[j])).addi(current));
                current = constrain.apply(xs, z.subi(current).muli(a).addi(current).addi(momentumTerm.muli(1 - a)));
                evaluate(current);
                adversarial = select(adversarial, current, succeeded);
                boolean[] improved = new boolean[m];
                for (int j = 0; j < m; j++) {
                    found[j] |= succeeded[j];
                    increases[j] += objective[j] > lastLoss[j] ? 1 : 0;
                    improved[j] = objective[j] > bestLoss[j];
                    bestLoss[j] = Math.max(bestLoss[j], objective[j]);
                }
                lastLoss = objective;
                best = select(best, current, improved);
                bestGrad = select(bestGrad, grad, improved);
                if (checkpoint < checkpoints.length && i + 1 == checkpoints[checkpoint]) {
                    int window = checkpoints[checkpoint] - windowStart;
                    boolean[] halve = new boolean[m];
                    for (int j = 0; j < m; j++) {
                        halve[j] = increases[j] <= window * settings.rho()
                                || (!reducedAtCheck[j] && bestAtCheck[j] >= bestLoss[j]);
                        step[j] *= halve[j] ? 0.5 : 1.0;
                    }
                    reducedAtCheck = halve;
                    bestAtCheck = bestLoss.clone();
                    current = select(current, best, halve);
                    grad = select(grad, bestGrad, halve);
                    Arrays.fill(increases, 0);
                    windowStart = checkpoints[checkpoint++];
                }
            }
            merge(adversarial, found, best, bestLoss);
        }

        /** One gradient pass at {@code point}: the loss's gradient, objective and success per example. */
        private void evaluate(INDArray point) {
            long[] partShape = shape.clone();
            partShape[0] = m;
            LossGradient pass = model.gradient(point.reshape('c', partShape), loss, part.lossLabels());
            queries.count(rows);
            double direction = part.direction();
            grad = pass.input().reshape('c', m, point.size(1)).mul(direction);
            objective = scaled(loss.value(pass.logits(), part.lossLabels()).toDoubleVector(), direction);
            succeeded = part.isSuccess(pass.logits());
        }

        private void merge(INDArray adversarial, boolean[] found, INDArray best, double[] bestLoss) {
            for (int j = 0; j < m; j++) {
                int row = rows[j];
                if (found[j]) {
                    success[row] = true;
                    result.putRow(row, adversarial.getRow(j));
                } else if (bestLoss[j] > resultLoss[row]) {
                    resultLoss[row] = bestLoss[j];
                    result.putRow(row, best.getRow(j));
                }
            }
        }

        private INDArray column(IntToDoubleFunction value) {
            double[] values = new double[m];
            for (int j = 0; j < m; j++) {
                values[j] = value.applyAsDouble(j);
            }
            return Nd4j.createFromArray(values).castTo(xs.dataType()).reshape(m, 1);
        }

        /** Rows of {@code replacement} where {@code mask} is set, else rows of {@code current} (a new array when any is set). */
        private INDArray select(INDArray current, INDArray replacement, boolean[] mask) {
            boolean any = false;
            for (boolean b : mask) {
                any |= b;
            }
            if (!any) {
                return current;
            }
            INDArray take = column(j -> mask[j] ? 1.0 : 0.0);
            return current.mulColumnVector(take.rsub(1.0)).addi(replacement.mulColumnVector(take));
        }
    }

    private static double[] scaled(double[] values, double factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return values;
    }
}
