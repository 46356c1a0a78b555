package dev.advtrain.core.eval;

import dev.advtrain.core.data.LabeledImages;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What an attack made of a set of labelled images, example by example (in the images' order): the
 * adversarial images, the judged model's prediction and confidence on the clean and on the
 * adversarial image, the target, success, the perturbation's size and the queries spent.
 *
 * <p>Success rates count only the examples that {@link #counted(int) count}: all of them when
 * untargeted, those whose true class is not the target when targeted.
 */
public final class AdversarialExamples {

    private final Builder columns;
    private final double seconds;

    private AdversarialExamples(Builder columns, double seconds) {
        this.columns = columns;
        this.seconds = seconds;
    }

    static Builder builder(LabeledImages images, String norm, Targeting targeting) {
        return new Builder(images, norm, targeting);
    }

    /** Number of examples. */
    public int size() {
        return columns.images.size();
    }

    /** The clean images that were attacked. */
    public LabeledImages images() {
        return columns.images;
    }

    /** Id of the threat model's norm. */
    public String norm() {
        return columns.norm;
    }

    public Targeting targeting() {
        return columns.targeting;
    }

    /** Adversarial pixels of example {@code i}, in the images' channel, row, column order. */
    public float[] adversarialPixels(int i) {
        int d = columns.images.pixelsPerExample();
        return Arrays.copyOfRange(columns.adversarial, i * d, (i + 1) * d);
    }

    /** All adversarial images as float32 [N, C, H, W]. */
    public INDArray adversarialImages() {
        return Nd4j.create(columns.adversarial, new long[] {size(), columns.images.channels(), columns.images.height(), columns.images.width()}, DataType.FLOAT);
    }

    /** All clean images as float32 [N, C, H, W]. */
    public INDArray originalImages() {
        float[] pixels = new float[columns.adversarial.length];
        for (int i = 0; i < size(); i++) {
            columns.images.copyPixels(i, pixels, i * columns.images.pixelsPerExample());
        }
        return Nd4j.create(pixels, new long[] {size(), columns.images.channels(), columns.images.height(), columns.images.width()}, DataType.FLOAT);
    }

    public int label(int i) {
        return columns.images.label(i);
    }

    /** The target class of example {@code i}, or -1 when untargeted. */
    public int target(int i) {
        return columns.targets[i];
    }

    public int cleanPrediction(int i) {
        return columns.cleanPredictions[i];
    }

    /** The judged model's probability of its predicted class on the clean image. */
    public double cleanConfidence(int i) {
        return columns.cleanConfidence[i];
    }

    public int adversarialPrediction(int i) {
        return columns.adversarialPredictions[i];
    }

    /** The judged model's probability of its predicted class on the adversarial image. */
    public double adversarialConfidence(int i) {
        return columns.adversarialConfidence[i];
    }

    /** Whether the attack met its criterion on example {@code i}, as the judged model sees it. */
    public boolean success(int i) {
        return columns.success[i];
    }

    /** Whether example {@code i} counts towards success rates (its true class is not the target). */
    public boolean counted(int i) {
        return columns.targeting.counts(label(i), columns.images.numClasses());
    }

    /** Size of example {@code i}'s perturbation under the threat model's norm. */
    public double threatNorm(int i) {
        return columns.threatNorms[i];
    }

    public double linf(int i) {
        return columns.linf[i];
    }

    public double l2(int i) {
        return columns.l2[i];
    }

    /** Model evaluations the attack spent on example {@code i} (on the crafting model). */
    public long queries(int i) {
        return columns.queries[i];
    }

    /** Wall time of the whole run, in seconds. */
    public double seconds() {
        return seconds;
    }

    /** Share of all examples the judged model classifies correctly, clean. */
    public double cleanAccuracy() {
        return share(i -> true, i -> columns.cleanPredictions[i] == label(i));
    }

    /** Share of all examples classified correctly both clean and adversarial. */
    public double robustAccuracy() {
        return share(i -> true, i -> columns.cleanPredictions[i] == label(i) && columns.adversarialPredictions[i] == label(i));
    }

    /** Share of all examples classified correctly after the attack. */
    public double adversarialAccuracy() {
        return share(i -> true, i -> columns.adversarialPredictions[i] == label(i));
    }

    /** Examples that count towards success rates. */
    public int countedSize() {
        return count(this::counted);
    }

    /** Counted examples that the judged model classifies correctly, clean. */
    public int countedCleanCorrect() {
        return count(i -> counted(i) && columns.cleanPredictions[i] == label(i));
    }

    /** Counted examples on which the attack succeeded. */
    public int successes() {
        return count(i -> counted(i) && columns.success[i]);
    }

    /** Successes among all counted examples (NaN if none counts). */
    public double successRateOverall() {
        return share(this::counted, i -> columns.success[i]);
    }

    /** Successes among the counted examples that the model classifies correctly, clean (NaN if none). */
    public double successRateCleanCorrect() {
        return share(i -> counted(i) && columns.cleanPredictions[i] == label(i), i -> columns.success[i]);
    }

    /** Mean queries per example. */
    public double meanQueries() {
        return Arrays.stream(columns.queries).average().orElse(0.0);
    }

    private int count(IntPredicate p) {
        int hits = 0;
        for (int i = 0; i < size(); i++) {
            hits += p.test(i) ? 1 : 0;
        }
        return hits;
    }

    private double share(IntPredicate among, IntPredicate hit) {
        int n = count(among);
        return n == 0 ? Double.NaN : (double) count(i -> among.test(i) && hit.test(i)) / n;
    }

    /**
     * Each row's top class and its score, written from index {@code from} on.
     *
     * @param scores class scores [n, C]
     * @param classes receives the argmax of each row
     * @param confidences receives the score of that class
     */
    public static void topClasses(INDArray scores, int[] classes, double[] confidences, int from) {
        double[][] rows = scores.toDoubleMatrix();
        for (int i = 0; i < rows.length; i++) {
            int best = 0;
            for (int j = 1; j < rows[i].length; j++) {
                if (rows[i][j] > rows[i][best]) {
                    best = j;
                }
            }
            classes[from + i] = best;
            confidences[from + i] = rows[i][best];
        }
    }

    /** Collects a run's batches in order; the finished columns back the examples. */
    static final class Builder {
        private final LabeledImages images;
        private final String norm;
        private final Targeting targeting;
        private final float[] adversarial;
        private final int[] targets;
        private final int[] cleanPredictions;
        private final double[] cleanConfidence;
        private final int[] adversarialPredictions;
        private final double[] adversarialConfidence;
        private final boolean[] success;
        private final double[] threatNorms;
        private final double[] linf;
        private final double[] l2;
        private final long[] queries;
        private int filled;

        private Builder(LabeledImages images, String norm, Targeting targeting) {
            int n = images.size();
            this.images = images;
            this.norm = norm;
            this.targeting = targeting;
            this.adversarial = new float[n * images.pixelsPerExample()];
            this.targets = new int[n];
            this.cleanPredictions = new int[n];
            this.cleanConfidence = new double[n];
            this.adversarialPredictions = new int[n];
            this.adversarialConfidence = new double[n];
            this.success = new boolean[n];
            this.threatNorms = new double[n];
            this.linf = new double[n];
            this.l2 = new double[n];
            this.queries = new long[n];
        }

        /** The next batch, starting at example {@code from}; predictions are class scores [n, C]. */
        void add(int from, INDArray adversarialBatch, int[] batchTargets, INDArray clean, INDArray adversarialScores,
                boolean[] batchSuccess, double[] threat, double[] batchLinf, double[] batchL2, long[] batchQueries) {
            if (from != filled) {
                throw new IllegalStateException("batch starts at " + from + ", expected " + filled);
            }
            int n = batchTargets.length;
            float[] pixels = adversarialBatch.dup('c').castTo(DataType.FLOAT).data().asFloat();
            System.arraycopy(pixels, 0, adversarial, from * images.pixelsPerExample(), pixels.length);
            System.arraycopy(batchTargets, 0, targets, from, n);
            topClasses(clean, cleanPredictions, cleanConfidence, from);
            topClasses(adversarialScores, adversarialPredictions, adversarialConfidence, from);
            System.arraycopy(batchSuccess, 0, success, from, n);
            System.arraycopy(threat, 0, threatNorms, from, n);
            System.arraycopy(batchLinf, 0, linf, from, n);
            System.arraycopy(batchL2, 0, l2, from, n);
            System.arraycopy(batchQueries, 0, queries, from, n);
            filled += n;
        }

        AdversarialExamples build(double seconds) {
            if (filled != images.size()) {
                throw new IllegalStateException(filled + " of " + images.size() + " examples attacked");
            }
            return new AdversarialExamples(this, seconds);
        }
    }
}
