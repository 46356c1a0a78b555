package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Projected gradient descent (Madry et al., "Towards Deep Learning Models Resistant to Adversarial
 * Attacks", ICLR 2018), and with it FGSM (Goodfellow et al., 2015) and FGSM with random start
 * (Wong et al., "Fast is better than free", ICLR 2020) as one-step special cases.
 *
 * <p>White-box, any {@link Norm}. From an optional uniform random start inside the eps-ball, takes
 * {@code steps} steps of {@code stepSize} along the norm's steepest-ascent direction of the model's
 * loss (descent for a targeted criterion), projecting back into the eps-ball and the valid range
 * after each. With {@code restarts > 1} it keeps, per example, the first restart that succeeds, or
 * else the one with the highest loss.
 *
 * <p>Defaults: L-inf, 10 steps of 0.25 eps, random start, 1 restart, inputs in [0, 1], seed 0.
 *
 * <pre>{@code
 * Attack<DifferentiableClassifier> pgd = ProjectedGradientDescent.builder().eps(0.1).steps(20)
 *         .stepSize(StepSize.absolute(0.01)).build();
 * INDArray adv = pgd.generate(Classifiers.of(net), x, Criterion.untargeted(y)).adversarial();
 * }</pre>
 */
public final class ProjectedGradientDescent extends Attack<DifferentiableClassifier> {

    private final StepSize stepSize;
    private final int steps;
    private final boolean randomStart;
    private final int restarts;
    private final SplittableRandom rng;

    private ProjectedGradientDescent(Builder b) {
        super(b.name, b.norm, b.eps, b.clipMin, b.clipMax);
        if (b.steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + b.steps);
        }
        if (b.restarts < 1) {
            throw new IllegalArgumentException("restarts must be >= 1, got " + b.restarts);
        }
        this.stepSize = b.stepSize;
        this.steps = b.steps;
        this.randomStart = b.randomStart;
        this.restarts = b.restarts;
        this.rng = new SplittableRandom(b.seed);
    }

    /** FGSM: one step of size eps from the clean input. */
    public static ProjectedGradientDescent fgsm(double eps) {
        return builder().name("fgsm").eps(eps).steps(1).stepSize(StepSize.relative(1.0)).randomStart(false).build();
    }

    /** FGSM from a uniform random start (Wong et al. 2020), step {@code relStep * eps}, typically 1.25. */
    public static ProjectedGradientDescent fgsmRandomStart(double eps, double relStep, long seed) {
        return builder().name("fgsm-rs").eps(eps).steps(1).stepSize(StepSize.relative(relStep))
                .randomStart(true).seed(seed).build();
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        INDArray best = null;
        INDArray bestLoss = null;
        for (int restart = 0; restart < restarts; restart++) {
            INDArray candidate = runOnce(model, x, criterion, queries);
            if (restarts == 1) {
                return candidate;
            }
            INDArray score = restartScore(model.predict(candidate), criterion);
            if (best == null) {
                best = candidate;
                bestLoss = score;
            } else {
                // Row-wise select: keep the candidate where it scores higher.
                INDArray better = score.gt(bestLoss).castTo(best.dataType()).reshape(x.size(0), 1);
                INDArray rows = best.reshape(x.size(0), -1);
                rows.muli(better.rsub(1.0)).addi(candidate.reshape(x.size(0), -1).mul(better));
                best = rows.reshape(x.shape());
                bestLoss = Transforms.max(bestLoss, score, false);
            }
        }
        return best;
    }

    private INDArray runOnce(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        INDArray adversarial = workingCopy(x);
        if (randomStart) {
            adversarial = constrain(x, adversarial.addi(norm.randomStart(x, eps, rng)));
        }
        double step = stepSize.resolve(eps) * criterion.direction();
        for (int i = 0; i < steps; i++) {
            INDArray gradient = model.lossGradient(adversarial, criterion.lossLabels());
            queries.countAll();
            adversarial = constrain(x, adversarial.addi(norm.stepDirection(gradient).muli(step)));
        }
        return adversarial;
    }

    /**
     * Per-example preference between restarts: success counts above any loss, then the loss in
     * the criterion's direction (cross-entropy of the criterion's labels).
     */
    private static INDArray restartScore(INDArray predictions, Criterion criterion) {
        INDArray p = predictions.mul(criterion.lossLabels()).sum(1);
        INDArray loss = Transforms.log(Transforms.max(p, 1e-12, false), false).negi().muli(criterion.direction());
        boolean[] success = criterion.isSuccess(predictions);
        for (int i = 0; i < success.length; i++) {
            if (success[i]) {
                loss.putScalar(i, 1e30);
            }
        }
        return loss;
    }

    /** Steps taken per restart. */
    public int steps() {
        return steps;
    }

    /** Random restarts. */
    public int restarts() {
        return restarts;
    }

    /** Step size as configured (absolute or relative to eps). */
    public StepSize stepSize() {
        return stepSize;
    }

    /** Whether each restart begins at a uniform random point of the eps-ball. */
    public boolean randomStart() {
        return randomStart;
    }

    /** Builder for {@link ProjectedGradientDescent}. */
    public static final class Builder {
        private String name = "pgd";
        private Norm norm = LinfNorm.INSTANCE;
        private double eps = 0.3;
        private StepSize stepSize = StepSize.relative(0.25);
        private int steps = 10;
        private boolean randomStart = true;
        private int restarts = 1;
        private double clipMin = 0.0;
        private double clipMax = 1.0;
        private long seed = 0L;

        private Builder() {
        }

        /** Name used in reports (default "pgd"). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Threat model norm (default L-inf). */
        public Builder norm(Norm norm) {
            this.norm = norm;
            return this;
        }

        /** Perturbation budget. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Size of each step, absolute or relative to eps. */
        public Builder stepSize(StepSize stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** Steps per restart. */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Start each restart at a uniform random point of the eps-ball. */
        public Builder randomStart(boolean randomStart) {
            this.randomStart = randomStart;
            return this;
        }

        /** Number of restarts; the strongest per example is kept. */
        public Builder restarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        /** Valid input range (default [0, 1]). */
        public Builder clip(double min, double max) {
            this.clipMin = min;
            this.clipMax = max;
            return this;
        }

        /** Seed of the random starts. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public ProjectedGradientDescent build() {
            return new ProjectedGradientDescent(this);
        }
    }
}
