package dev.advtrain.attacks;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model as a black-box attack sees it, for one batch: candidate inputs in (as flat rows of
 * doubles, each owned by one example of the batch), class probabilities or success decisions out.
 * Every row is one query about its owner, counted in the attack's {@link QueryCounter}; asking about
 * an example whose budget is spent is a programming error and throws, so no example can exceed it.
 */
final class Oracle {

    /** Rows sent to the model in one call at most. */
    private static final int MAX_ROWS = 1024;

    private final Classifier model;
    private final QueryCounter counter;
    private final long budget;
    private final long[] used;
    private final long[] exampleShape;
    private final DataType dataType;
    private final double[][] clean;
    private final int[] labels;
    private final boolean targeted;

    /**
     * @param x the clean batch, any shape [N, ...]
     * @param budget queries allowed per example
     */
    Oracle(Classifier model, INDArray x, Criterion criterion, QueryCounter counter, long budget) {
        this.model = model;
        this.counter = counter;
        this.budget = budget;
        int n = Math.toIntExact(x.size(0));
        this.used = new long[n];
        this.exampleShape = Arrays.copyOfRange(x.shape(), 1, x.rank());
        this.dataType = x.dataType().isFPType() ? x.dataType() : Nd4j.defaultFloatingPointType();
        int d = Math.toIntExact(x.length() / Math.max(n, 1));
        double[] values = x.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        this.clean = new double[n][];
        for (int i = 0; i < n; i++) {
            clean[i] = Arrays.copyOfRange(values, i * d, (i + 1) * d);
        }
        this.labels = Arrays.stream(Nd4j.argMax(criterion.lossLabels(), 1).toLongVector()).mapToInt(Math::toIntExact).toArray();
        this.targeted = criterion instanceof Criterion.Targeted;
    }

    /** The clean examples as flat rows (row-major over the example's own shape); do not modify. */
    double[][] clean() {
        return clean;
    }

    /** Values per example. */
    int dimension() {
        return clean.length == 0 ? 0 : clean[0].length;
    }

    /** Examples in the batch. */
    int size() {
        return clean.length;
    }

    /** Whether the criterion asks for a target class. */
    boolean targeted() {
        return targeted;
    }

    /** Queries left for an example. */
    long remaining(int owner) {
        return budget - used[owner];
    }

    /** Class probabilities, one row per candidate row, one query each about its owner. */
    double[][] predict(double[][] rows, int[] owners) {
        for (int owner : owners) {
            if (used[owner]++ >= budget) {
                throw new IllegalStateException("query budget of " + budget + " exceeded for example " + owner);
            }
        }
        counter.count(owners);
        double[][] probabilities = new double[rows.length][];
        for (int start = 0; start < rows.length; start += MAX_ROWS) {
            double[][] chunk = Arrays.copyOfRange(rows, start, Math.min(rows.length, start + MAX_ROWS));
            INDArray out = model.predict(toInput(chunk));
            if (out.isView() || out.ordering() != 'c' || out.data().length() != out.length()) {
                out = out.dup('c');
            }
            double[] flat = out.data().asDouble();
            int classes = (int) out.size(1);
            for (int r = 0; r < chunk.length; r++) {
                probabilities[start + r] = Arrays.copyOfRange(flat, r * classes, (r + 1) * classes);
            }
        }
        return probabilities;
    }

    /** Per row: does the model's predicted class (argmax) meet the owner's criterion? One query each. */
    boolean[] decide(double[][] rows, int[] owners) {
        return meets(predict(rows, owners), owners);
    }

    /** Per row of {@code probabilities}: does its argmax (the first, on ties) meet its owner's criterion? */
    boolean[] meets(double[][] probabilities, int[] owners) {
        boolean[] success = new boolean[owners.length];
        for (int k = 0; k < owners.length; k++) {
            success[k] = satisfies(argMax(probabilities[k]), owners[k]);
        }
        return success;
    }

    /** Whether an input predicted as {@code predictedClass} meets the criterion of example {@code owner}. */
    boolean satisfies(int predictedClass, int owner) {
        return (predictedClass == labels[owner]) == targeted;
    }

    /** The class of the criterion's loss labels of an example: its true class, or its target. */
    int label(int owner) {
        return labels[owner];
    }

    /** Flat rows as a batch shaped like the attacked inputs, in their floating-point type. */
    INDArray toInput(double[][] rows) {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = rows.length;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        int d = dimension();
        if (dataType == DataType.FLOAT) {
            float[] flat = new float[rows.length * d];
            for (int r = 0; r < rows.length; r++) {
                for (int j = 0; j < d; j++) {
                    flat[r * d + j] = (float) rows[r][j];
                }
            }
            return Nd4j.create(flat, shape, 'c');
        }
        double[] flat = new double[rows.length * d];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * d, d);
        }
        INDArray batch = Nd4j.create(flat, shape, 'c');
        return dataType == DataType.DOUBLE ? batch : batch.castTo(dataType);
    }

    /** Index of the largest value, the first on ties (as {@code Nd4j.argMax}). */
    static int argMax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    /** 0, 1, ..., n - 1. */
    static int[] range(int n) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** Clips each value into [min, max] in place and returns the row. */
    static double[] clip(double[] row, double min, double max) {
        for (int j = 0; j < row.length; j++) {
            row[j] = Math.min(max, Math.max(min, row[j]));
        }
        return row;
    }
}
