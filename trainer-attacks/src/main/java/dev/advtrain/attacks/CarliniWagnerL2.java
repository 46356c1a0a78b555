package dev.advtrain.attacks;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The Carlini-Wagner L2 attack (Carlini and Wagner, "Towards Evaluating the Robustness of Neural
 * Networks", IEEE S&amp;P 2017): the smallest L2 perturbation that changes the decision, found by
 * optimisation.
 *
 * <p>White-box, L2, untargeted or targeted. Each example's input is written as
 * {@code x' = mid + half * tanh(w)} (mid and half of the valid range, {@code w} starting at
 * {@code atanh((x - mid) / half * (1 - 1e-6))}), so x' never leaves the range. Adam on {@code w}
 * minimises {@code ||x' - x||_2^2 + c * f(x')} with the margin
 * {@code f = max(z_y - max_{j != y} z_j, -kappa)} (untargeted) or
 * {@code f = max(max_{j != t} z_j - z_t, -kappa)} (targeted, t the target). A per-example binary
 * search over {@code c} (times 10 until the first success, then bisection; Adam restarts from x at
 * every search step) trades size for success. Per example it returns the smallest-L2 point that
 * met the criterion with margin kappa; an example never broken is returned unchanged.
 *
 * <p>Defaults: name "cw", L2 (the only norm it takes), eps +Infinity (unbounded; a finite eps only
 * projects the result into the L2 ball afterwards, which may undo its success), 9 binary-search
 * steps, initial c 0.01 (ART's; the paper and Foolbox start at 0.001), 100 Adam iterations per search
 * step at learning rate 0.01, kappa 0, early abort when the batch objective improved by less than
 * 0.01% over a tenth of the iterations, inputs in [0, 1]. Deterministic: it draws no random numbers
 * (the seed is unused). One gradient pass per iteration, plus one at x (examples that already meet
 * the criterion are returned as they are). Adam moves each pixel by at most about
 * {@code learningRate * (clipMax - clipMin) / 2} per iteration, so raise the iterations (or the rate)
 * when perturbations must be large.
 *
 * <pre>{@code
 * CarliniWagnerL2 cw = CarliniWagnerL2.builder().binarySearchSteps(5).maxIterations(200).build();
 * double[] l2 = cw.generate(Classifiers.of(net), x, Criterion.untargeted(y)).perturbationNorms();
 * }</pre>
 */
public final class CarliniWagnerL2 extends Attack<DifferentiableClassifier> {

    private static final double TANH_SHRINK = 1 - 1e-6;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;
    private static final double NO_UPPER_BOUND = 1e10;

    private final int binarySearchSteps;
    private final int maxIterations;
    private final double initialConst;
    private final double learningRate;
    private final double confidence;
    private final boolean abortEarly;

    private CarliniWagnerL2(Builder b) {
        super(b);
        requireNorm("Carlini-Wagner L2", "l2");
        if (b.binarySearchSteps < 1 || b.maxIterations < 1) {
            throw new IllegalArgumentException("binary-search steps and iterations must be >= 1, got "
                    + b.binarySearchSteps + " and " + b.maxIterations);
        }
        if (!(b.initialConst > 0) || !(b.learningRate > 0) || !(b.confidence >= 0)) {
            throw new IllegalArgumentException("initial c and learning rate must be > 0 and kappa >= 0, got "
                    + b.initialConst + ", " + b.learningRate + ", " + b.confidence);
        }
        this.binarySearchSteps = b.binarySearchSteps;
        this.maxIterations = b.maxIterations;
        this.initialConst = b.initialConst;
        this.learningRate = b.learningRate;
        this.confidence = b.confidence;
        this.abortEarly = b.abortEarly;
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        int n = (int) x.size(0);
        INDArray x0 = workingCopy(x).reshape('c', n, x.length() / n);
        double mid = (clipMax + clipMin) / 2;
        double half = (clipMax - clipMin) / 2;
        INDArray w0 = Transforms.atanh(x0.sub(mid).divi(half).muli(TANH_SHRINK), false);
        double[] c = new double[n];
        double[] lower = new double[n];
        double[] upper = new double[n];
        Arrays.fill(c, initialConst);
        Arrays.fill(upper, NO_UPPER_BOUND);
        double[] bestL2 = alreadyMet(model, x0.reshape('c', x.shape()), criterion, queries);
        INDArray best = x0.dup();
        for (int step = 0; step < binarySearchSteps; step++) {
            boolean[] found = optimise(model, x.shape(), x0, w0, criterion, c, best, bestL2, queries);
            for (int i = 0; i < n; i++) {
                if (found[i]) {
                    upper[i] = Math.min(upper[i], c[i]);
                } else {
                    lower[i] = Math.max(lower[i], c[i]);
                }
                c[i] = upper[i] < NO_UPPER_BOUND / 10 ? (lower[i] + upper[i]) / 2 : c[i] * 10;
            }
        }
        return best.reshape('c', x.shape());
    }

    /** 0 for examples that meet the criterion with margin kappa at x itself (kept as they are), else +Infinity. */
    private double[] alreadyMet(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        CappedMargin margin = new CappedMargin(-criterion.direction(), confidence);
        INDArray logits = model.gradient(x, margin, criterion.lossLabels()).logits();
        queries.countAll();
        double[] f = margin.value(logits, criterion.lossLabels()).toDoubleVector();
        boolean[] success = criterion.isSuccess(logits);
        double[] bestL2 = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            bestL2[i] = success[i] && f[i] <= -confidence ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return bestL2;
    }

    /**
     * One binary-search step: Adam from x at the constants {@code c}; updates {@code best} and
     * {@code bestL2} in place and returns which examples succeeded at any iteration.
     */
    private boolean[] optimise(DifferentiableClassifier model, long[] shape, INDArray x0, INDArray w0,
            Criterion criterion, double[] c, INDArray best, double[] bestL2, QueryCounter queries) {
        int n = c.length;
        double half = (clipMax - clipMin) / 2;
        double sign = -criterion.direction(); // f = sign * margin: -margin untargeted, +margin of the target
        CappedMargin margin = new CappedMargin(sign, confidence);
        INDArray labels = criterion.lossLabels();
        INDArray w = w0.dup();
        INDArray m = Nd4j.zerosLike(w);
        INDArray v = Nd4j.zerosLike(w);
        boolean[] found = new boolean[n];
        double previous = Double.POSITIVE_INFINITY;
        int abortCheck = Math.max(1, maxIterations / 10);
        INDArray cColumn = Nd4j.createFromArray(c).castTo(w.dataType()).reshape(n, 1);
        for (int it = 0; it < maxIterations; it++) {
            INDArray t = Transforms.tanh(w, true);
            INDArray adv = t.mul(half).addi((clipMax + clipMin) / 2);
            LossGradient lg = model.gradient(adv.reshape('c', shape), margin, labels);
            queries.countAll();
            double[] f = margin.value(lg.logits(), labels).toDoubleVector();
            boolean[] success = criterion.isSuccess(lg.logits());
            INDArray delta = adv.sub(x0);
            double[] l2 = delta.norm2(1).toDoubleVector();
            double objective = 0;
            for (int i = 0; i < n; i++) {
                objective += l2[i] * l2[i] + c[i] * f[i];
                if (success[i] && f[i] <= -confidence) {
                    found[i] = true;
                    if (l2[i] < bestL2[i]) {
                        bestL2[i] = l2[i];
                        best.putRow(i, adv.getRow(i));
                    }
                }
            }
            if (abortEarly && it % abortCheck == 0) {
                if (objective > previous * 0.9999) {
                    break;
                }
                previous = objective;
            }
            INDArray gradient = lg.input().dup('c').reshape('c', n, -1).muliColumnVector(cColumn)
                    .addi(delta.muli(2.0))
                    .muli(t.muli(t).rsubi(1.0).muli(half)); // dx'/dw = half * (1 - tanh^2 w)
            adamStep(w, gradient, m, v, it + 1);
        }
        return found;
    }

    /** Adam as in the paper's TensorFlow code: bias-corrected step size, epsilon 1e-8. */
    private void adamStep(INDArray w, INDArray gradient, INDArray m, INDArray v, int t) {
        m.muli(BETA1).addi(gradient.mul(1 - BETA1));
        v.muli(BETA2).addi(gradient.muli(gradient).muli(1 - BETA2));
        double stepSize = learningRate * Math.sqrt(1 - Math.pow(BETA2, t)) / (1 - Math.pow(BETA1, t));
        w.subi(m.div(Transforms.sqrt(v, true).addi(ADAM_EPSILON)).muli(stepSize));
    }

    /** Binary-search steps over the constant c. */
    public int binarySearchSteps() {
        return binarySearchSteps;
    }

    /** Adam iterations per binary-search step. */
    public int maxIterations() {
        return maxIterations;
    }

    /** Builder for {@link CarliniWagnerL2}. */
    public static final class Builder extends AttackBuilder<Builder> {
        private int binarySearchSteps = 9;
        private int maxIterations = 100;
        private double initialConst = 1e-2;
        private double learningRate = 1e-2;
        private double confidence = 0.0;
        private boolean abortEarly = true;

        private Builder() {
            super("cw", L2Norm.INSTANCE, Double.POSITIVE_INFINITY);
        }

        /** Binary-search steps over c (default 9). */
        public Builder binarySearchSteps(int steps) {
            this.binarySearchSteps = steps;
            return this;
        }

        /** Adam iterations per binary-search step (default 100). */
        public Builder maxIterations(int iterations) {
            this.maxIterations = iterations;
            return this;
        }

        /** The constant c of the first search step (default 0.01). */
        public Builder initialConst(double c) {
            this.initialConst = c;
            return this;
        }

        /** Adam's learning rate on w (default 0.01). */
        public Builder learningRate(double rate) {
            this.learningRate = rate;
            return this;
        }

        /** kappa: the logit margin a success must reach (default 0). */
        public Builder confidence(double kappa) {
            this.confidence = kappa;
            return this;
        }

        /** Stop a search step once the objective stalls (default true). */
        public Builder abortEarly(boolean abort) {
            this.abortEarly = abort;
            return this;
        }

        public CarliniWagnerL2 build() {
            return new CarliniWagnerL2(this);
        }
    }
}
