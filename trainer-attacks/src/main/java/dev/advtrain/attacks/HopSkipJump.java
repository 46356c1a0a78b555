package dev.advtrain.attacks;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * HopSkipJumpAttack (Chen, Jordan and Wainwright, "HopSkipJumpAttack: a query-efficient
 * decision-based attack", IEEE S&amp;P 2020), after the authors' reference implementation
 * (Jianbo-Lab/HSJA, {@code hsja.py}).
 *
 * <p>Decision-based black box, L2 or L-inf: it uses only the predicted class (argmax of
 * {@link Classifier#predict}) and spends at most {@code queries} predictions per example, counted in
 * the result. A minimal-perturbation attack: from a starting point that meets the criterion, pulled
 * to the decision boundary by binary search, each iteration t estimates the boundary's normal from
 * {@code min(initEvals * sqrt(t), maxEvals)} random probes (Monte Carlo, with baseline subtraction),
 * steps along it (L-inf: its sign) with a geometric step-size search starting at
 * {@code distance / sqrt(t)}, and binary-searches back to the boundary toward the input. The binary
 * search stops at {@code theta = gamma / d^1.5} (L2) or {@code gamma / d^2} (L-inf), d the input size.
 * The result is the closest point found; with a finite eps, {@link #generate} projects it into the
 * eps-ball, and an example stops spending queries once its point lies within eps. When the budget
 * left is smaller than an iteration needs, the estimate uses what remains after the binary search's
 * share; an example whose budget is spent keeps its closest point.
 *
 * <p>Starting points: untargeted, uniform noise in the valid range (up to {@code initTrials} draws),
 * else the closest example of the batch that the model classifies otherwise; targeted, the closest
 * example of the batch that the model classifies as the target, else uniform noise. Either is
 * blended toward the input by binary search. An example for which none is found (e.g. targeted at a
 * class no batch example has and noise never hits) is returned unchanged, with a logged warning.
 * Examples that already meet the criterion cost one query and are returned as they are.
 *
 * <p>Defaults: L2, eps +Infinity (unbounded), 1000 queries, initEvals 100, maxEvals 10000, gamma
 * 1.0, initTrials 100, inputs in [0, 1], seed 0.
 *
 * <pre>{@code
 * Attack<Classifier> hsj = HopSkipJump.builder().norm(L2Norm.INSTANCE).queries(2000).build();
 * double[] distances = hsj.generate(Classifiers.of(net), x, Criterion.untargeted(y)).perturbationNorms();
 * }</pre>
 */
public final class HopSkipJump extends Attack<Classifier> {

    private final int queries;
    private final int initEvals;
    private final int maxEvals;
    private final double gamma;
    private final int initTrials;
    private final long seed;

    private HopSkipJump(Builder b) {
        super(b);
        requireNorm("HopSkipJump", "linf", "l2");
        if (b.queries < 1 || b.initEvals < 1 || b.maxEvals < b.initEvals || b.initTrials < 1 || !(b.gamma > 0)) {
            throw new IllegalArgumentException(String.format("HopSkipJump needs queries >= 1, 1 <= initEvals <= "
                    + "maxEvals, initTrials >= 1, gamma > 0; got %d, %d, %d, %d, %s",
                    b.queries, b.initEvals, b.maxEvals, b.initTrials, b.gamma));
        }
        this.queries = b.queries;
        this.initEvals = b.initEvals;
        this.maxEvals = b.maxEvals;
        this.gamma = b.gamma;
        this.initTrials = b.initTrials;
        this.seed = b.seed;
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected INDArray perturb(Classifier model, INDArray x, Criterion criterion, QueryCounter counter) {
        Oracle oracle = new Oracle(model, x, criterion, counter, queries);
        return oracle.toInput(new HopSkipJumpRun(this, oracle, new SplittableRandom(seed)).run());
    }

    boolean linf() {
        return "linf".equals(norm.id());
    }

    /** Binary-search threshold theta for inputs of size d. */
    double theta(int d) {
        return linf() ? gamma / ((double) d * d) : gamma / (d * Math.sqrt(d));
    }

    /** Probes for the gradient estimate of iteration t (from 1). */
    int evaluations(int t) {
        return (int) Math.min(maxEvals, (long) (initEvals * Math.sqrt(t)));
    }

    int initTrials() {
        return initTrials;
    }

    /** Query budget per example. */
    public int queries() {
        return queries;
    }

    /** Builder for {@link HopSkipJump}. */
    public static final class Builder extends AttackBuilder<Builder> {
        private int queries = 1000;
        private int initEvals = 100;
        private int maxEvals = 10000;
        private double gamma = 1.0;
        private int initTrials = 100;

        private Builder() {
            super("hsj", L2Norm.INSTANCE, Double.POSITIVE_INFINITY);
        }

        /** Queries per example, everything included (default 1000). */
        public Builder queries(int queries) {
            this.queries = queries;
            return this;
        }

        /** Probes of the first gradient estimate; iteration t uses initEvals * sqrt(t) (default 100). */
        public Builder initEvals(int initEvals) {
            this.initEvals = initEvals;
            return this;
        }

        /** Cap on the probes of one gradient estimate (default 10000). */
        public Builder maxEvals(int maxEvals) {
            this.maxEvals = maxEvals;
            return this;
        }

        /** Scale of the binary-search threshold (default 1.0). */
        public Builder gamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        /** Uniform-noise draws tried for a starting point (default 100). */
        public Builder initTrials(int initTrials) {
            this.initTrials = initTrials;
            return this;
        }

        public HopSkipJump build() {
            return new HopSkipJump(this);
        }
    }
}
