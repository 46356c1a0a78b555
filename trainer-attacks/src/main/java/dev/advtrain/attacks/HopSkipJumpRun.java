package dev.advtrain.attacks;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link HopSkipJump} run over a batch. Examples advance in lock step, so each phase (starting
 * points, binary searches, step-size search) asks the model once for every example still in it;
 * each example's gradient estimate is a batch of its own probes. Follows {@code hsja.py} of
 * Jianbo-Lab/HSJA; see {@link HopSkipJump} for the method.
 */
final class HopSkipJumpRun {

    private static final Logger LOG = LoggerFactory.getLogger(HopSkipJump.class);
    /** The reference's tolerance of the blend search that pulls a starting point toward the input. */
    private static final double BLEND_THRESHOLD = 0.001;
    /** Halvings of the step size before an iteration gives up its step. */
    private static final int MAX_HALVINGS = 60;
    /** Gradient probes per model call at most. */
    private static final int BLOCK = 512;

    private final HopSkipJump attack;
    private final Oracle oracle;
    private final SplittableRandom rng;
    private final double[][] clean;
    private final int d;
    private final double theta;
    private final boolean linf;
    private final double[][] current;
    private final double[][] best;
    private final double[] bestDistance;
    private final double[] steppedDistance;
    private final boolean[] open;

    HopSkipJumpRun(HopSkipJump attack, Oracle oracle, SplittableRandom rng) {
        this.attack = attack;
        this.oracle = oracle;
        this.rng = rng;
        this.clean = oracle.clean();
        this.d = oracle.dimension();
        this.theta = attack.theta(d);
        this.linf = attack.linf();
        int n = oracle.size();
        this.current = new double[n][];
        this.best = clean.clone();
        this.bestDistance = new double[n];
        this.steppedDistance = new double[n];
        this.open = new boolean[n];
    }

    /** The closest point meeting the criterion per example (the clean input where none was found). */
    double[][] run() {
        int n = oracle.size();
        int[] cleanClass = Arrays.stream(oracle.predict(clean, Oracle.range(n))).mapToInt(Oracle::argMax).toArray();
        for (int i = 0; i < n; i++) {
            open[i] = !oracle.satisfies(cleanClass[i], i);
            bestDistance[i] = open[i] ? Double.POSITIVE_INFINITY : 0.0;
        }
        double[][] start = new double[n][];
        if (oracle.targeted()) {
            fromBatch(start, cleanClass);
            fromNoise(start);
        } else {
            fromNoise(start);
            fromBatch(start, cleanClass);
        }
        int[] starting = select(i -> open[i] && start[i] != null);
        int missing = select(i -> open[i] && start[i] == null).length;
        if (missing > 0) {
            LOG.warn("{}: no starting point meets the criterion for {} of {} examples (no batch example qualifies "
                    + "and {} uniform-noise draws missed); they are returned unchanged", attack.name(), missing, n,
                    attack.initTrials());
        }
        Arrays.fill(open, false);
        double[][] from = new double[starting.length][];
        double[] ones = new double[starting.length];
        double[] blendThresholds = new double[starting.length];
        for (int k = 0; k < starting.length; k++) {
            open[starting[k]] = true;
            from[k] = start[starting[k]];
            ones[k] = 1.0;
            blendThresholds[k] = BLEND_THRESHOLD;
        }
        double[][] blended = binarySearch(starting, from, ones, blendThresholds, false);
        for (int k = 0; k < starting.length; k++) {
            // hsja.py's dist_post_update: the distance before the binary search to the boundary
            steppedDistance[starting[k]] = distance(blended[k], clean[starting[k]]);
        }
        toBoundary(starting, blended);
        for (int t = 1; ; t++) {
            int[] active = select(i -> open[i] && oracle.remaining(i) > 0);
            if (active.length == 0) {
                return best;
            }
            iterate(t, active);
        }
    }

    /** One iteration: gradient-direction estimates, geometric step-size search, back to the boundary. */
    private void iterate(int t, int[] active) {
        int[] evaluations = new int[active.length];
        double[] deltas = new double[active.length];
        for (int k = 0; k < active.length; k++) {
            int i = active[k];
            double distance = distance(current[i], clean[i]);
            long affordable = Math.min(attack.evaluations(t), oracle.remaining(i) - binarySteps(distance) - 1);
            if (affordable < 1) {
                open[i] = false; // the budget left cannot pay for another estimate and the way back
                continue;
            }
            evaluations[k] = (int) affordable;
            deltas[k] = t == 1 ? 0.1 * (attack.clipMax() - attack.clipMin())
                    : (linf ? d : Math.sqrt(d)) * theta * steppedDistance[i];
        }
        double[][] updates = gradientDirections(active, evaluations, deltas);
        double[] stepSize = new double[active.length];
        int[] halvings = new int[active.length];
        double[][] stepped = new double[active.length][];
        for (int k = 0; k < active.length; k++) {
            stepSize[k] = distance(current[active[k]], clean[active[k]]) / Math.sqrt(t);
        }
        while (true) {
            int[] pending = IntStream.range(0, active.length).filter(k -> updates[k] != null && stepped[k] == null
                    && halvings[k] < MAX_HALVINGS && oracle.remaining(active[k]) > 0).toArray();
            if (pending.length == 0) {
                break;
            }
            double[][] rows = new double[pending.length][];
            int[] owners = new int[pending.length];
            for (int p = 0; p < pending.length; p++) {
                int k = pending[p];
                owners[p] = active[k];
                rows[p] = new double[d];
                for (int j = 0; j < d; j++) {
                    rows[p][j] = current[active[k]][j] + stepSize[k] * updates[k][j];
                }
                Oracle.clip(rows[p], attack.clipMin(), attack.clipMax());
            }
            boolean[] success = oracle.decide(rows, owners);
            for (int p = 0; p < pending.length; p++) {
                if (success[p]) {
                    stepped[pending[p]] = rows[p];
                } else {
                    stepSize[pending[p]] /= 2;
                    halvings[pending[p]]++;
                }
            }
        }
        int[] moved = IntStream.range(0, active.length).filter(k -> stepped[k] != null).toArray();
        int[] owners = Arrays.stream(moved).map(k -> active[k]).toArray();
        double[][] from = Arrays.stream(moved).mapToObj(k -> stepped[k]).toArray(double[][]::new);
        for (int m = 0; m < moved.length; m++) {
            steppedDistance[owners[m]] = distance(from[m], clean[owners[m]]);
        }
        toBoundary(owners, from);
    }

    /**
     * Monte Carlo estimates of the boundary's normal at the current points: per example, probes of
     * size delta (Gaussian for L2, uniform for L-inf, each scaled to unit L2 length), signed by the
     * decision, with the mean decision subtracted; unit L2 length for L2, the sign for L-inf. Probes of
     * several examples share model calls of up to {@code BLOCK} rows. Null where nothing was estimated.
     */
    private double[][] gradientDirections(int[] active, int[] evaluations, double[] deltas) {
        Probes probes = new Probes(active, deltas);
        for (int k = 0; k < active.length; k++) {
            for (int e = 0; e < evaluations[k]; e++) {
                probes.add(k);
            }
        }
        probes.flush();
        double[][] directions = new double[active.length][];
        for (int k = 0; k < active.length; k++) {
            if (evaluations[k] > 0) {
                directions[k] = probes.direction(k, evaluations[k]);
            }
        }
        return directions;
    }

    /** The probes of one round of gradient estimates, asked in blocks, summed per example. */
    private final class Probes {
        private final int[] active;
        private final double[] deltas;
        private final double[][] sum;
        private final double[][] signedSum;
        private final int[] positives;
        private final double[][] rows = new double[BLOCK][];
        private final double[][] directions = new double[BLOCK][];
        private final int[] slots = new int[BLOCK];
        private int filled;

        Probes(int[] active, double[] deltas) {
            this.active = active;
            this.deltas = deltas;
            this.sum = new double[active.length][d];
            this.signedSum = new double[active.length][d];
            this.positives = new int[active.length];
        }

        /** Draws one probe around the current point of {@code active[k]}. */
        void add(int k) {
            double[] at = current[active[k]];
            double[] probe = new double[d];
            double length = 0;
            for (int j = 0; j < d; j++) {
                probe[j] = linf ? 2 * rng.nextDouble() - 1 : L2Norm.gaussian(rng);
                length += probe[j] * probe[j];
            }
            length = Math.sqrt(length);
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = at[j] + deltas[k] * probe[j] / length;
            }
            Oracle.clip(row, attack.clipMin(), attack.clipMax());
            for (int j = 0; j < d; j++) {
                probe[j] = (row[j] - at[j]) / deltas[k]; // the probe as clipping left it
            }
            rows[filled] = row;
            directions[filled] = probe;
            slots[filled++] = k;
            if (filled == BLOCK) {
                flush();
            }
        }

        void flush() {
            if (filled == 0) {
                return;
            }
            int[] owners = new int[filled];
            for (int r = 0; r < filled; r++) {
                owners[r] = active[slots[r]];
            }
            boolean[] success = oracle.decide(Arrays.copyOf(rows, filled), owners);
            for (int r = 0; r < filled; r++) {
                int k = slots[r];
                double f = success[r] ? 1.0 : -1.0;
                positives[k] += success[r] ? 1 : 0;
                for (int j = 0; j < d; j++) {
                    sum[k][j] += directions[r][j];
                    signedSum[k][j] += f * directions[r][j];
                }
            }
            filled = 0;
        }

        /** The estimate for {@code active[k]} from its {@code evaluations} probes, or null if it vanished. */
        double[] direction(int k, int evaluations) {
            double mean = (2.0 * positives[k] - evaluations) / evaluations;
            double[] direction = new double[d];
            double length = 0;
            for (int j = 0; j < d; j++) {
                direction[j] = positives[k] == evaluations ? sum[k][j]
                        : positives[k] == 0 ? -sum[k][j] : signedSum[k][j] - mean * sum[k][j];
                length += direction[j] * direction[j];
            }
            if (length == 0) {
                return null;
            }
            for (int j = 0; j < d; j++) {
                direction[j] = linf ? Math.signum(direction[j]) : direction[j] / Math.sqrt(length);
            }
            return direction;
        }
    }

    /** Binary search from points meeting the criterion toward the inputs; the results become current. */
    private void toBoundary(int[] owners, double[][] from) {
        double[] highs = new double[owners.length];
        double[] thresholds = new double[owners.length];
        for (int k = 0; k < owners.length; k++) {
            highs[k] = linf ? distance(from[k], clean[owners[k]]) : 1.0;
            thresholds[k] = linf ? Math.min(highs[k] * theta, theta) : theta;
        }
        double[][] arrived = binarySearch(owners, from, highs, thresholds, linf);
        for (int k = 0; k < owners.length; k++) {
            int i = owners[k];
            current[i] = arrived[k];
            double distance = distance(current[i], clean[i]);
            if (distance < bestDistance[i]) {
                best[i] = current[i];
                bestDistance[i] = distance;
            }
            // Bounded, an example is done once within eps; unbounded, it searches until its budget is spent.
            open[i] &= !(Double.isFinite(attack.eps()) && bestDistance[i] <= attack.eps());
        }
    }

    /**
     * Per example, the smallest alpha in [0, high] (to within its threshold, while its budget lasts)
     * whose projection of {@code from} toward the input still meets the criterion; returns those
     * projections. Projection: L-inf, clip into the alpha-box around the input; otherwise the blend
     * {@code (1 - alpha) x + alpha from}.
     */
    private double[][] binarySearch(int[] owners, double[][] from, double[] highs, double[] thresholds,
            boolean box) {
        double[] lows = new double[owners.length];
        while (true) {
            int[] pending = IntStream.range(0, owners.length).filter(k -> highs[k] - lows[k] > thresholds[k]
                    && oracle.remaining(owners[k]) > 0).toArray();
            if (pending.length == 0) {
                break;
            }
            double[][] rows = new double[pending.length][];
            int[] asked = new int[pending.length];
            for (int p = 0; p < pending.length; p++) {
                int k = pending[p];
                asked[p] = owners[k];
                rows[p] = project(clean[owners[k]], from[k], (highs[k] + lows[k]) / 2, box);
            }
            boolean[] success = oracle.decide(rows, asked);
            for (int p = 0; p < pending.length; p++) {
                int k = pending[p];
                double mid = (highs[k] + lows[k]) / 2;
                if (success[p]) {
                    highs[k] = mid;
                } else {
                    lows[k] = mid;
                }
            }
        }
        double[][] result = new double[owners.length][];
        for (int k = 0; k < owners.length; k++) {
            result[k] = project(clean[owners[k]], from[k], highs[k], box);
        }
        return result;
    }

    private static double[] project(double[] x, double[] from, double alpha, boolean box) {
        double[] row = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            row[j] = box ? Math.min(x[j] + alpha, Math.max(x[j] - alpha, from[j])) : (1 - alpha) * x[j] + alpha * from[j];
        }
        return row;
    }

    /** Queries a binary search back to the boundary needs from distance {@code distance}. */
    private int binarySteps(double distance) {
        double range = linf ? distance / Math.min(distance * theta, theta) : 1.0 / theta;
        return (int) Math.ceil(Math.log(Math.max(range, 1.0)) / Math.log(2));
    }

    /** Untargeted: uniform noise in the valid range, drawn until the model's decision meets the criterion. */
    private void fromNoise(double[][] start) {
        for (int trial = 0; trial < attack.initTrials(); trial++) {
            int[] pending = select(i -> open[i] && start[i] == null && oracle.remaining(i) > 0);
            if (pending.length == 0) {
                return;
            }
            double[][] rows = new double[pending.length][d];
            for (double[] row : rows) {
                for (int j = 0; j < d; j++) {
                    row[j] = attack.clipMin() + (attack.clipMax() - attack.clipMin()) * rng.nextDouble();
                }
            }
            boolean[] success = oracle.decide(rows, pending);
            for (int p = 0; p < pending.length; p++) {
                start[pending[p]] = success[p] ? rows[p] : null;
            }
        }
    }

    /** The closest other example of the batch whose clean prediction meets this example's criterion. */
    private void fromBatch(double[][] start, int[] cleanClass) {
        for (int i = 0; i < start.length; i++) {
            if (!open[i] || start[i] != null) {
                continue;
            }
            double closest = Double.POSITIVE_INFINITY;
            for (int j = 0; j < start.length; j++) {
                double distance = distance(clean[j], clean[i]);
                if (j != i && oracle.satisfies(cleanClass[j], i) && distance < closest) {
                    closest = distance;
                    start[i] = clean[j];
                }
            }
        }
    }

    private double distance(double[] a, double[] b) {
        double result = 0;
        for (int j = 0; j < a.length; j++) {
            double diff = Math.abs(a[j] - b[j]);
            result = linf ? Math.max(result, diff) : result + diff * diff;
        }
        return linf ? result : Math.sqrt(result);
    }

    private int[] select(IntPredicate keep) {
        return IntStream.range(0, open.length).filter(keep).toArray();
    }
}
