package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MI-FGSM, the momentum iterative method (Dong et al., "Boosting Adversarial Attacks with
 * Momentum", CVPR 2018).
 *
 * <p>White-box, L-inf or L2 (any {@link Norm} works). From the clean input, each of {@code steps}
 * steps takes the gradient of the loss, divides it per example by its L1 norm, adds it to the
 * accumulated gradient decayed by {@code decay} (g = mu g + grad / |grad|_1) and steps
 * {@code stepSize} along the norm's step direction of g (its sign under L-inf, g / |g|_2 under L2),
 * descending for a targeted criterion; after each step the iterate is projected into the eps-ball
 * and the valid range. Momentum keeps the direction stable across steps, which makes the examples
 * transfer better to other models. Each gradient pass counts one query per example.
 *
 * <p>Defaults: name "mi-fgsm", L-inf, eps 0.3, decay mu = 1.0, 10 steps of eps / steps, the
 * model's own loss (loss null: cross-entropy; any {@link Loss}, e.g. {@link Losses#margin()}, may be
 * given), inputs in [0, 1]. No randomness: the seed is unused.
 *
 * <pre>{@code
 * Attack<DifferentiableClassifier> mi = MomentumIterativeAttack.builder().eps(8 / 255.0).build();
 * INDArray adv = mi.generate(Classifiers.of(net), x, Criterion.untargeted(y)).adversarial();
 * }</pre>
 */
public final class MomentumIterativeAttack extends Attack<DifferentiableClassifier> {

    private static final double TINY = 1e-12;

    private final double decay;
    private final int steps;
    private final StepSize stepSize;
    private final Loss loss;

    private MomentumIterativeAttack(Builder b) {
        super(b);
        if (b.steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + b.steps);
        }
        if (!(b.decay >= 0) || Double.isInfinite(b.decay)) {
            throw new IllegalArgumentException("decay must be finite and >= 0, got " + b.decay);
        }
        this.decay = b.decay;
        this.steps = b.steps;
        this.stepSize = b.stepSize != null ? b.stepSize : StepSize.relative(1.0 / b.steps);
        this.loss = b.loss;
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        INDArray adversarial = workingCopy(x);
        INDArray momentum = null;
        double step = stepSize.resolve(eps);
        for (int i = 0; i < steps; i++) {
            INDArray gradient = Iterates.gradientAt(model, adversarial, loss, criterion, false).input();
            queries.countAll();
            INDArray rows = gradient.dup('c').reshape('c', gradient.size(0), -1);
            INDArray l1 = Transforms.max(Transforms.abs(rows, true).sum(true, 1), TINY, false);
            INDArray normalised = rows.diviColumnVector(l1).reshape('c', gradient.shape());
            momentum = momentum == null ? normalised : momentum.muli(decay).addi(normalised);
            INDArray ascent = momentum.mul(criterion.direction());
            INDArray direction = norm.stepDirection(ascent, adversarial, clipMin, clipMax);
            adversarial = constrain(x, adversarial.addi(direction.muli(step)));
        }
        return adversarial;
    }

    /** The momentum decay factor mu. */
    public double decay() {
        return decay;
    }

    /** Number of steps. */
    public int steps() {
        return steps;
    }

    /** Step size as configured (absolute or relative to eps). */
    public StepSize stepSize() {
        return stepSize;
    }

    /** The loss ascended, or null for the model's own. */
    public Loss loss() {
        return loss;
    }

    /** Builder for {@link MomentumIterativeAttack}. */
    public static final class Builder extends GradientAttackBuilder<Builder> {
        private double decay = 1.0;
        private int steps = 10;
        private StepSize stepSize;

        private Builder() {
            super("mi-fgsm", LinfNorm.INSTANCE, 0.3, null);
        }

        /** Momentum decay mu (default 1.0; 0 gives I-FGSM with L1-normalised gradients). */
        public Builder decay(double decay) {
            this.decay = decay;
            return this;
        }

        /** Number of steps (default 10). */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Size of each step (default eps / steps, so that the steps together can span the ball). */
        public Builder stepSize(StepSize stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        public MomentumIterativeAttack build() {
            return new MomentumIterativeAttack(this);
        }
    }
}
