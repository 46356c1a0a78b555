package dev.advtrain.attacks;

import dev.advtrain.attacks.transform.ImageShape;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Square Attack (Andriushchenko, Croce, Flammarion and Hein, "Square Attack: a query-efficient
 * black-box adversarial attack via random search", ECCV 2020), after the authors' reference
 * implementation (max-andr/square-attack).
 *
 * <p>Score-based black box, L-inf or L2: it sees only {@link Classifier#predict} (probabilities) and
 * spends at most {@code queries} predictions per example, counted in the result. Random search: each
 * iteration changes one random square window of the current best perturbation (L-inf: to +-eps per
 * channel; L2: moves mass between two windows with the paper's pseudo-Gaussian update, keeping the
 * norm at eps) and keeps the change when the loss drops. Loss on log-probabilities, as the paper:
 * untargeted, the margin {@code log p_y - max_{j != y} log p_j} (equal to the logit margin);
 * targeted, the cross-entropy {@code -log p_t}. Starts from vertical stripes of +-eps (L-inf) or a
 * grid of signed pseudo-Gaussian tiles scaled to eps (L2). An example stops as soon as it meets the
 * criterion: no query is spent on it afterwards. The window side follows the reference's schedule of
 * {@code p} (the fraction of pixels changed), halved at fixed fractions of the budget.
 *
 * <p>Image geometry ({@link ImageShape#of}): [N, C, H, W] inputs are used as they are; flat [N, D]
 * rows are read as 1 x S x S images when D = S^2, else as 3 x S x S (channels first) when D = 3 S^2;
 * other rows need {@link Builder#imageShape} (otherwise the attack refuses with a clear message).
 *
 * <p>One deliberate difference from the reference: window positions range over the whole image (the
 * reference's {@code randint(0, h - s)} never reaches the last row and column, which matters on small
 * images).
 *
 * <p>Defaults: L-inf, eps 0.05, 1000 queries, {@code p_init} 0.05 under L-inf and 0.1 under L2 (the
 * paper's values), inputs in [0, 1], seed 0.
 *
 * <pre>{@code
 * Attack<Classifier> square = SquareAttack.builder().eps(0.1).queries(1000).seed(1).build();
 * AttackResult result = square.generate(Classifiers.of(net), x, Criterion.untargeted(y));
 * }</pre>
 */
public final class SquareAttack extends Attack<Classifier> {

    private static final double LOG_FLOOR = 1e-45;

    private final int queries;
    private final double pInit;
    private final ImageShape imageShape;
    private final long seed;

    private SquareAttack(Builder b) {
        super(b);
        requireNorm("Square Attack", "linf", "l2");
        if (Double.isInfinite(b.eps)) {
            throw new IllegalArgumentException("Square Attack needs a finite eps");
        }
        if (b.queries < 1) {
            throw new IllegalArgumentException("queries must be >= 1, got " + b.queries);
        }
        double p = b.pInit != null ? b.pInit : "linf".equals(b.norm.id()) ? 0.05 : 0.1;
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("p_init must be in (0, 1], got " + p);
        }
        this.queries = b.queries;
        this.pInit = p;
        this.imageShape = b.imageShape;
        this.seed = b.seed;
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected INDArray perturb(Classifier model, INDArray x, Criterion criterion, QueryCounter counter) {
        ImageShape image = geometry(x);
        Oracle oracle = new Oracle(model, x, criterion, counter, queries);
        SplittableRandom rng = new SplittableRandom(seed);
        boolean linf = "linf".equals(norm.id());
        double[][] clean = oracle.clean();
        double[][] best = linf ? SquareWindows.stripes(clean, image, eps, rng, clipMin, clipMax)
                : SquareWindows.tiles(clean, image, eps, rng, clipMin, clipMax);
        Objective objective = new Objective(oracle, criterion instanceof Criterion.Targeted);
        double[] bestLoss = new double[clean.length];
        Arrays.fill(bestLoss, Double.POSITIVE_INFINITY);
        boolean[] done = new boolean[clean.length];
        objective.improve(best.clone(), Oracle.range(clean.length), best, bestLoss, done);
        for (int iteration = 0; iteration < queries - 1; iteration++) {
            int[] active = IntStream.range(0, done.length).filter(i -> !done[i]).toArray();
            if (active.length == 0) {
                break;
            }
            double p = pSchedule(iteration);
            double[][] candidates = new double[active.length][];
            for (int k = 0; k < active.length; k++) {
                int i = active[k];
                candidates[k] = linf ? SquareWindows.linfCandidate(clean[i], best[i], image, p, eps, rng, clipMin, clipMax)
                        : SquareWindows.l2Candidate(clean[i], best[i], image, p, eps, rng, clipMin, clipMax);
            }
            objective.improve(candidates, active, best, bestLoss, done);
        }
        return oracle.toInput(best);
    }

    /**
     * The loss the search lowers, on log-probabilities (for a softmax model the same as on logits):
     * untargeted, the margin {@code log p_y - max_{j != y} log p_j}; targeted, the cross-entropy
     * {@code -log p_t}.
     */
    private record Objective(Oracle oracle, boolean targeted) {

        /** Queries the candidates; keeps each that lowers its example's loss or meets the criterion. */
        void improve(double[][] candidates, int[] owners, double[][] best, double[] bestLoss, boolean[] done) {
            double[][] probabilities = oracle.predict(candidates, owners);
            boolean[] success = oracle.meets(probabilities, owners);
            for (int k = 0; k < owners.length; k++) {
                int i = owners[k];
                double loss = loss(probabilities[k], oracle.label(i));
                if (success[k] || loss < bestLoss[i]) {
                    best[i] = candidates[k];
                    bestLoss[i] = loss;
                    done[i] = success[k];
                }
            }
        }

        private double loss(double[] p, int label) {
            double own = Math.log(Math.max(p[label], LOG_FLOOR));
            if (targeted) {
                return -own;
            }
            double other = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < p.length; j++) {
                other = j == label ? other : Math.max(other, Math.log(Math.max(p[j], LOG_FLOOR)));
            }
            return own - other;
        }
    }

    /** The reference's piecewise-constant schedule of p, rescaled to the budget. */
    private double pSchedule(int iteration) {
        int it = (int) ((double) iteration / queries * 10000);
        int[] bounds = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        int halvings = 0;
        while (halvings < bounds.length && it > bounds[halvings]) {
            halvings++;
        }
        return pInit / (1 << halvings);
    }

    private ImageShape geometry(INDArray x) {
        ImageShape image;
        try {
            image = imageShape != null ? imageShape : ImageShape.of(x);
            image.check(x);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Square Attack needs the image geometry of inputs shaped "
                    + Arrays.toString(x.shape()) + ": " + e.getMessage() + " (SquareAttack.builder().imageShape(c, h, w))", e);
        }
        if (image.height() < 2 || image.width() < 2) {
            throw new IllegalArgumentException("Square Attack needs images of at least 2 x 2 pixels, got " + image);
        }
        return image;
    }

    /** Query budget per example. */
    public int queries() {
        return queries;
    }

    /** Initial fraction of pixels a window covers. */
    public double pInit() {
        return pInit;
    }

    /** Builder for {@link SquareAttack}. */
    public static final class Builder extends AttackBuilder<Builder> {
        private int queries = 1000;
        private Double pInit;
        private ImageShape imageShape;

        private Builder() {
            super("square", LinfNorm.INSTANCE, 0.05);
        }

        /** Queries per example, the first (initial) evaluation included (default 1000). */
        public Builder queries(int queries) {
            this.queries = queries;
            return this;
        }

        /** Initial fraction of pixels changed per iteration (default 0.05 L-inf, 0.1 L2). */
        public Builder pInit(double pInit) {
            this.pInit = pInit;
            return this;
        }

        /** Geometry of one example, for flat rows {@link ImageShape#of} cannot read (default: inferred). */
        public Builder imageShape(int channels, int height, int width) {
            this.imageShape = new ImageShape(channels, height, width);
            return this;
        }

        public SquareAttack build() {
            return new SquareAttack(this);
        }
    }
}
