package dev.advtrain.core.train.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Row-wise softmax arithmetic in double precision, shared by the losses of this package. */
final class Softmax {

    private Softmax() {
    }

    /** A row's softmax probabilities and their logarithms. */
    record Row(double[] log, double[] probabilities) {

        /** softmax of the logits {@code z}, through the stable {@link Softmax#log}. */
        static Row of(double[] z) {
            double[] log = Softmax.log(z);
            return new Row(log, exp(log));
        }
    }

    /** log softmax(z), stable: the row maximum is subtracted before exponentiating. */
    static double[] log(double[] z) {
        double max = Arrays.stream(z).max().orElse(0.0);
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double logSum = max + Math.log(sum);
        double[] result = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            result[k] = z[k] - logSum;
        }
        return result;
    }

    /** Probabilities from log-probabilities. */
    static double[] exp(double[] logProbabilities) {
        return Arrays.stream(logProbabilities).map(Math::exp).toArray();
    }

    /** Row {@code row} of a [rows, width] array, as a copy in double precision. */
    static double[] row(double[] flat, int row, int width) {
        return Arrays.copyOfRange(flat, row * width, (row + 1) * width);
    }

    /** The values of a [rows, C] array in row-major order, in double precision. */
    static double[] flat(INDArray matrix) {
        return matrix.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** The index of the largest value (the first of equals). */
    static int argMax(double[] values) {
        return largestExcept(values, -1);
    }

    /** The index of the largest value other than {@code excluded} (the first of equals). */
    static int largestExcept(double[] values, int excluded) {
        int best = -1;
        for (int k = 0; k < values.length; k++) {
            if (k != excluded && (best < 0 || values[k] > values[best])) {
                best = k;
            }
        }
        return best;
    }
}
