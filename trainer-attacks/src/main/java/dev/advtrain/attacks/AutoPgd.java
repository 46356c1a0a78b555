package dev.advtrain.attacks;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Auto-PGD (APGD; Croce and Hein, "Reliable evaluation of adversarial robustness with an ensemble
 * of diverse parameter-free attacks", ICML 2020), faithful to the reference implementation
 * (fra31/auto-attack, {@code autopgd_base.py}).
 *
 * <p>White-box, L-inf or L2. PGD with momentum ({@code x <- P(x + a (z - x) + (1 - a)(x - x_prev))},
 * {@code z = P(x + step * direction(gradient))}, no momentum on the first step) and a per-example
 * step size that starts at {@code 2 eps} and is halved at the {@linkplain #checkpoints checkpoints}
 * when the loss rose in at most a fraction {@code rho} of the steps since the last checkpoint, or when
 * the step was not halved at the last checkpoint and the best loss has not improved since; a halved
 * example restarts from its best point. The random start lies on the sphere of radius eps. Each run
 * costs {@code iterations + 1} gradient passes per example it attacks, plus one pass at the clean
 * input: examples the model already gets wrong are left as they are, and each restart attacks only
 * the examples no run has broken yet. Returned per example: the last adversarial iterate of the
 * first successful run, else the highest-loss point over all runs.
 *
 * <p>The loss is ascended on the true labels; under a targeted criterion it is descended on the
 * target labels (cross-entropy of the target, or DLR with the target in place of the true class).
 * One deliberate difference from the reference: the first window's count of loss increases compares
 * the first step with the loss at the start, as the paper defines it (the reference compares it with
 * an unset entry, 0).
 *
 * <p>Defaults: name "apgd-" and the loss id, L-inf, eps 0.3, 100 iterations, cross-entropy loss,
 * 1 restart, rho 0.75, momentum 0.75, initial step 2 eps, inputs in [0, 1], seed 0 (the random
 * starts). See {@link AutoPgdTargeted} for APGD-T.
 *
 * <pre>{@code
 * Attack<DifferentiableClassifier> apgd = AutoPgd.builder().eps(8 / 255.0).loss(Losses.dlr()).build();
 * AttackResult result = apgd.generate(Classifiers.of(net), x, Criterion.untargeted(y));
 * }</pre>
 */
public final class AutoPgd extends Attack<DifferentiableClassifier> {

    private final ApgdSearch.Settings settings;
    private final int restarts;
    private final Loss loss;
    private final long seed;

    private AutoPgd(Builder b) {
        super(b.name != null ? b.name : "apgd-" + b.lossOrCrossEntropy().id(), b.norm, b.eps, b.clipMin, b.clipMax);
        requireNorm("APGD", "linf", "l2");
        this.settings = b.settings();
        this.restarts = b.restarts;
        this.loss = b.lossOrCrossEntropy();
        this.seed = b.seed;
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The catalogue's APGD with a fixed loss, from parameters: steps are iterations, the step size
     * the initial step; a different loss in the parameters is refused.
     */
    static AutoPgd catalogued(AttackParams p, Loss loss) {
        if (p.loss() != null && !p.loss().id().equals(loss.id())) {
            throw new IllegalArgumentException("apgd-" + loss.id() + " ascends the " + loss.id() + " loss, not " + p.loss().id());
        }
        return builder().from(p).loss(loss).build();
    }

    /**
     * The iteration counts after which the step size is checked, for a run of {@code iterations}:
     * the paper's {@code p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j - p_{j-1} - 0.03, 0.06)} times
     * the iteration count, with each term truncated to an integer of at least 1 as the reference
     * does. For 100 iterations: 22, 41, 57, 70, 80, 87, 93, 99.
     */
    public static int[] checkpoints(int iterations) {
        int length = Math.max((int) (0.22 * iterations), 1);
        int shortest = Math.max((int) (0.06 * iterations), 1);
        int decrease = Math.max((int) (0.03 * iterations), 1);
        List<Integer> at = new ArrayList<>();
        for (int end = length; end <= iterations; end += length) {
            at.add(end);
            length = Math.max(length - decrease, shortest);
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        ApgdSearch search = new ApgdSearch(model, x, criterion, settings, this::constrain, queries, seed);
        for (int r = 0; r < restarts; r++) {
            search.run(rows -> loss);
        }
        return search.result();
    }

    /** Iterations per run. */
    public int iterations() {
        return settings.iterations();
    }

    /** Runs from random starts; later ones attack only the examples not yet broken. */
    public int restarts() {
        return restarts;
    }

    /** The loss ascended. */
    public Loss loss() {
        return loss;
    }

    /** Builder for {@link AutoPgd}, and for {@link AutoPgdTargeted} through {@link #buildTargeted}. */
    public static final class Builder extends GradientAttackBuilder<Builder> {
        private int iterations = 100;
        int restarts = 1;
        private double rho = 0.75;
        private double momentum = 0.75;
        private StepSize initialStep = StepSize.relative(2.0);

        private Builder() {
            super(null, LinfNorm.INSTANCE, 0.3, null);
        }

        /** Norm, eps, steps (as iterations), step size (as the initial step), restarts, clip and seed from catalogue parameters. */
        public Builder from(AttackParams p) {
            norm(p.norm()).eps(p.eps()).iterations(p.stepsOr(iterations)).restarts(p.restartsOr(restarts));
            return initialStep(p.stepSizeOr(initialStep)).clip(p.clipMin(), p.clipMax()).seed(p.seed());
        }

        /** Iterations per run (default 100). */
        public Builder iterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** Runs from random starts, keeping per example the first success or the highest loss (default 1). */
        public Builder restarts(int restarts) {
            this.restarts = restarts;
            return this;
        }

        /** Share of loss-increasing steps below which the step is halved (default 0.75). */
        public Builder rho(double rho) {
            this.rho = rho;
            return this;
        }

        /** Weight of the new gradient step against the previous displacement (default 0.75). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** The step size before any halving (default 2 eps). */
        public Builder initialStep(StepSize initialStep) {
            this.initialStep = initialStep;
            return this;
        }

        public AutoPgd build() {
            return new AutoPgd(this);
        }

        /**
         * APGD-T over the {@code targetClasses} classes ranked highest after the predicted one
         * (capped at C - 1); the loss is targeted DLR and cannot be set.
         */
        public AutoPgdTargeted buildTargeted(int targetClasses) {
            if (loss != null) {
                throw new IllegalArgumentException("APGD-T ascends the targeted DLR loss; do not set a loss");
            }
            return new AutoPgdTargeted(this, targetClasses);
        }

        /** APGD-T over up to 9 target classes, as in AutoAttack. */
        public AutoPgdTargeted buildTargeted() {
            return buildTargeted(9);
        }

        private Loss lossOrCrossEntropy() {
            return loss != null ? loss : Losses.crossEntropy();
        }

        ApgdSearch.Settings settings() {
            if (!(eps >= 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("APGD needs a finite eps >= 0, got " + eps);
            }
            if (iterations < 1 || restarts < 1) {
                throw new IllegalArgumentException("iterations and restarts must be >= 1, got " + iterations + ", " + restarts);
            }
            if (!(rho > 0 && rho <= 1) || !(momentum > 0 && momentum <= 1)) {
                throw new IllegalArgumentException("rho and momentum must lie in (0, 1], got " + rho + ", " + momentum);
            }
            return new ApgdSearch.Settings(norm, eps, iterations, rho, momentum, initialStep.resolve(eps));
        }
    }
}
