package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Projected gradient descent (Madry et al., "Towards Deep Learning Models Resistant to Adversarial
 * Attacks", ICLR 2018), and with it FGSM (Goodfellow et al., 2015) and FGSM with random start
 * (Wong et al., "Fast is better than free", ICLR 2020) as one-step special cases.
 *
 * <p>White-box, any {@link Norm}. From an optional random start inside the eps-ball, takes
 * {@code steps} steps of {@code stepSize} along the norm's steepest-ascent direction of the loss
 * (descent for a targeted criterion), projecting back into the eps-ball and the valid range after
 * each. The loss is the model's own (cross-entropy) unless one is given, e.g. {@link Losses#margin()}.
 * With early stop, an example that already meets the criterion at the current iterate is not
 * stepped further (the logits of each gradient pass tell, at no extra pass). With
 * {@code restarts > 1} it keeps, per example, the first restart that succeeds, or else the one with
 * the highest loss. Each gradient pass counts one query per example.
 *
 * <p>Defaults: name "pgd", L-inf, eps 0.3, 10 steps of 0.25 eps, random start, 1 restart, the
 * model's own loss (loss null: cross-entropy through {@code lossGradient}), no early stop, inputs in
 * [0, 1], seed 0 (the random starts). {@link #bim(double)} is the basic iterative method.
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
    private final Loss loss;
    private final boolean earlyStop;
    private final SplittableRandom rng;

    private ProjectedGradientDescent(Builder b) {
        super(b);
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
        this.loss = b.loss;
        this.earlyStop = b.earlyStop;
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

    /**
     * The basic iterative method, I-FGSM (Kurakin et al., "Adversarial examples in the physical
     * world", ICLR workshop 2017): PGD from the clean input, 10 steps of eps / 4 (torchattacks'
     * 2/255 at eps 8/255; the paper's rule, min(eps + 4, 1.25 eps) steps of 1 on the 0-255 scale,
     * assumes that scale).
     */
    public static ProjectedGradientDescent bim(double eps) {
        return bimBuilder().eps(eps).build();
    }

    /** A builder preset to {@link #bim(double)}'s settings, to change the norm, loss or clip range. */
    public static Builder bimBuilder() {
        return builder().name("bim").steps(10).stepSize(StepSize.relative(0.25)).randomStart(false);
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        INDArray best = runOnce(model, x, criterion, queries);
        if (restarts == 1) {
            return best;
        }
        INDArray bestScore = Iterates.score(model.predict(best), criterion, loss);
        for (int restart = 1; restart < restarts; restart++) {
            INDArray candidate = runOnce(model, x, criterion, queries);
            INDArray score = Iterates.score(model.predict(candidate), criterion, loss);
            best = Iterates.selectRows(score.gt(bestScore), candidate, best);
            bestScore = Transforms.max(bestScore, score, false);
        }
        return best;
    }

    private INDArray runOnce(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        INDArray adversarial = workingCopy(x);
        if (randomStart) {
            adversarial = constrain(x, adversarial.addi(norm.randomStart(x, eps, rng)));
        }
        double step = stepSize.resolve(eps);
        for (int i = 0; i < steps; i++) {
            LossGradient pass = Iterates.gradientAt(model, adversarial, loss, criterion, earlyStop);
            queries.countAll();
            INDArray ascent = pass.input().muli(criterion.direction());
            INDArray direction = norm.stepDirection(ascent, adversarial, clipMin, clipMax);
            INDArray next = constrain(x, adversarial.add(direction.muli(step)));
            if (earlyStop) { // examples that already meet the criterion stay where they are
                next = Iterates.selectRows(Nd4j.createFromArray(criterion.isSuccess(pass.logits())), adversarial, next);
            }
            adversarial = next;
        }
        return adversarial;
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

    /** The loss ascended, or null for the model's own. */
    public Loss loss() {
        return loss;
    }

    /** Whether examples that meet the criterion stop moving. */
    public boolean earlyStop() {
        return earlyStop;
    }

    /** Builder for {@link ProjectedGradientDescent}. */
    public static final class Builder extends GradientAttackBuilder<Builder> {
        private StepSize stepSize = StepSize.relative(0.25);
        private int steps = 10;
        private boolean randomStart = true;
        private int restarts = 1;
        private boolean earlyStop;

        private Builder() {
            super("pgd", LinfNorm.INSTANCE, 0.3, null);
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

        /** Stop moving an example once it meets the criterion (default false). */
        public Builder earlyStop(boolean earlyStop) {
            this.earlyStop = earlyStop;
            return this;
        }

        public ProjectedGradientDescent build() {
            return new ProjectedGradientDescent(this);
        }
    }
}
