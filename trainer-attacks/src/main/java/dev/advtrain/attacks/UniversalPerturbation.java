package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Universal adversarial perturbation (Moosavi-Dezfooli, Fawzi, Fawzi and Frossard, "Universal
 * Adversarial Perturbations", CVPR 2017): one perturbation delta, the shape of one example, that
 * fools the model on many inputs at once.
 *
 * <p>Fitted by the stochastic-gradient method of Shafahi, Najibi, Xu, Dickerson, Davis and
 * Goldstein ("Universal Adversarial Training", AAAI 2020) rather than the original's DeepFool
 * iterations: over shuffled mini-batches of the set, delta takes a step of {@code stepSize} along
 * the norm's steepest-ascent direction ({@link Norm#stepDirection}: sign for L-inf, unit length for
 * L2) of the batch's summed loss at {@code clip(x + delta)} (descent for a targeted criterion), and
 * is projected back into the eps-ball. Where Shafahi et al. clip each example's loss so that fooled
 * examples stop dominating, examples that delta already fools contribute no gradient, the update
 * rule of Moosavi-Dezfooli et al. After each epoch delta is scored on the whole set; the delta
 * with the highest fooling rate is kept (the later one of equals). White-box, L-inf or L2 (any {@link Norm}).
 *
 * <p>As an {@link Attack}, it fits delta on the batch it is given and returns {@code clip(x + delta)}
 * for every example. Defaults: name "uap", L-inf, eps 0.1, 10 epochs, mini-batches of 32, step
 * 0.1 eps, cross-entropy, inputs in [0, 1], seed 0 (the shuffling).
 *
 * <pre>{@code
 * UniversalPerturbation uap = UniversalPerturbation.builder().eps(0.15).epochs(10).build();
 * INDArray delta = uap.fit(Classifiers.of(net), xTrain, Criterion.untargeted(yTrain));  // [1, ...]
 * }</pre>
 */
public final class UniversalPerturbation extends Attack<DifferentiableClassifier> {

    private final int epochs;
    private final int batchSize;
    private final StepSize stepSize;
    private final Loss loss;
    private final SplittableRandom rng;

    private UniversalPerturbation(Builder b) {
        super(b);
        if (b.epochs < 1 || b.batchSize < 1) {
            throw new IllegalArgumentException("epochs and batch size must be >= 1, got " + b.epochs + ", " + b.batchSize);
        }
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.stepSize = b.stepSize;
        this.loss = b.loss;
        this.rng = new SplittableRandom(b.seed);
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fits one perturbation for a set of inputs.
     *
     * @param x the set, shaped as the model takes it; not modified
     * @param criterion per example what fooling means (untargeted: the true labels)
     * @return delta, shaped like one example with a leading 1 (e.g. [1, 784] or [1, 1, 28, 28])
     */
    public INDArray fit(DifferentiableClassifier model, INDArray x, Criterion criterion) {
        return fit(model, x, criterion, new QueryCounter(x.size(0)));
    }

    /** {@link #fit(DifferentiableClassifier, INDArray, Criterion)} fooling the true labels (untargeted). */
    public INDArray fit(DifferentiableClassifier model, INDArray x, INDArray trueLabels) {
        return fit(model, x, Criterion.untargeted(trueLabels));
    }

    /** {@code clip(x + delta)}: the same delta added to every example. */
    public INDArray apply(INDArray x, INDArray delta) {
        INDArray rows = workingCopy(x).reshape('c', x.size(0), -1);
        return clipToRangeInPlace(rows.addiRowVector(delta.reshape(1, -1).castTo(rows.dataType()))).reshape('c', x.shape());
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        return apply(x, fit(model, x, criterion, queries));
    }

    private INDArray fit(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        int n = Math.toIntExact(x.size(0));
        DataType type = x.dataType().isFPType() ? x.dataType() : Nd4j.defaultFloatingPointType();
        long[] exampleShape = x.shape().clone();
        exampleShape[0] = 1;
        INDArray delta = Nd4j.zeros(type, 1, x.length() / n);
        INDArray best = delta;
        double bestRate = -1;
        double step = stepSize.resolve(eps) * criterion.direction();
        MiniBatches batches = new MiniBatches(n, batchSize, rng);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int b = 0; b < batches.perPass(); b++) {
                int[] batch = batches.next();
                INDArray inputs = apply(MiniBatches.rows(x, batch), delta);
                INDArray labels = MiniBatches.rows(criterion.lossLabels(), batch).castTo(type);
                LossGradient g = model.gradient(inputs, loss, labels);
                queries.count(batch);
                boolean[] fooled = criterion.isSuccess(g.logits());
                INDArray stillCorrect = Nd4j.create(type, batch.length, 1);
                for (int i = 0; i < batch.length; i++) {
                    stillCorrect.putScalar(i, 0, fooled[i] ? 0.0 : 1.0);
                }
                INDArray summed = g.input().reshape('c', batch.length, -1).mulColumnVector(stillCorrect).sum(true, 0);
                delta.addi(norm.stepDirection(summed).muli(step));
                norm.projectInPlace(delta, eps);
            }
            double rate = foolingRate(model, x, delta, criterion, queries);
            if (rate >= bestRate) {
                bestRate = rate;
                best = delta.dup();
            }
        }
        return best.reshape('c', exampleShape);
    }

    private double foolingRate(DifferentiableClassifier model, INDArray x, INDArray delta, Criterion criterion,
            QueryCounter queries) {
        queries.countAll();
        boolean[] success = criterion.isSuccess(model.predict(apply(x, delta)));
        int count = 0;
        for (boolean s : success) {
            count += s ? 1 : 0;
        }
        return (double) count / success.length;
    }

    /** Passes over the set. */
    public int epochs() {
        return epochs;
    }

    /** Builder for {@link UniversalPerturbation}. */
    public static final class Builder extends GradientAttackBuilder<Builder> {
        private int epochs = 10;
        private int batchSize = 32;
        private StepSize stepSize = StepSize.relative(0.1);

        private Builder() {
            super("uap", LinfNorm.INSTANCE, 0.1, Losses.crossEntropy());
        }

        /** Passes over the set (default 10). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Examples per step (default 32). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Step size, absolute or relative to eps (default 0.1 eps). */
        public Builder stepSize(StepSize stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        public UniversalPerturbation build() {
            return new UniversalPerturbation(this);
        }
    }
}
