package dev.advtrain.attacks;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The losses gradient attacks choose from. All are computed row by row in double precision on the
 * logits, so they are exact whatever the network's data type.
 */
public final class Losses {

    private static final double DLR_FLOOR = 1e-12;

    private Losses() {
    }

    /**
     * The label-only losses by id: {@code ce}, {@code margin}, {@code dlr}. (Targeted DLR needs
     * targets and is built by the attacks that use it.)
     */
    public static Loss of(String id) {
        return switch (id) {
            case "ce" -> crossEntropy();
            case "margin" -> margin();
            case "dlr" -> dlr();
            default -> throw new IllegalArgumentException("unknown loss '" + id + "'; known: ce, margin, dlr");
        };
    }

    /** Cross-entropy of the softmax of the logits: {@code logsumexp(z) - z_y}. */
    public static Loss crossEntropy() {
        return CrossEntropy.INSTANCE;
    }

    /**
     * The margin (Carlini and Wagner 2017, loss f6) without its confidence cap:
     * {@code max_{j != y} z_j - z_y}, positive exactly when the example is misclassified.
     */
    public static Loss margin() {
        return Margin.INSTANCE;
    }

    /**
     * Difference of logits ratio (Croce and Hein 2020):
     * {@code -(z_y - max_{j != y} z_j) / (z_pi1 - z_pi3)}, with pi the classes sorted by logit.
     * Invariant to shifting and scaling the logits, so it resists gradient masking by scale. Needs at
     * least 3 classes.
     */
    public static Loss dlr() {
        return Dlr.INSTANCE;
    }

    /**
     * Targeted DLR (APGD-T): {@code -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4) / 2)} for a fixed target
     * t per example, ascended with the true labels y. Needs at least 4 classes.
     *
     * @param targets one-hot target classes [N, C]
     */
    public static Loss targetedDlr(INDArray targets) {
        return new TargetedDlr(argMaxRows(rows(targets)));
    }

    /** Row-wise loss values and logit gradients, written once for every loss. */
    private abstract static class RowLoss implements Loss {

        /** Fills {@code grad} (zeroed, length C) with d loss / d z and returns the loss. */
        abstract double row(int index, double[] z, int label, double[] grad);

        @Override
        public INDArray value(INDArray logits, INDArray labels) {
            double[][] z = rows(logits);
            int[] y = argMaxRows(rows(labels));
            double[] values = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                values[i] = row(i, z[i], y[i], new double[z[i].length]);
            }
            return Nd4j.createFromArray(values).castTo(logits.dataType());
        }

        @Override
        public INDArray gradient(INDArray logits, INDArray labels) {
            double[][] z = rows(logits);
            int[] y = argMaxRows(rows(labels));
            double[][] grad = new double[z.length][];
            for (int i = 0; i < z.length; i++) {
                grad[i] = new double[z[i].length];
                row(i, z[i], y[i], grad[i]);
            }
            return Nd4j.create(grad).castTo(logits.dataType());
        }

        @Override
        public String toString() {
            return id();
        }
    }

    private static final class CrossEntropy extends RowLoss {
        static final CrossEntropy INSTANCE = new CrossEntropy();

        @Override
        public String id() {
            return "ce";
        }

        @Override
        double row(int index, double[] z, int label, double[] grad) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            for (int j = 0; j < z.length; j++) {
                grad[j] = Math.exp(z[j] - max) / sum - (j == label ? 1.0 : 0.0);
            }
            return Math.log(sum) + max - z[label];
        }
    }

    private static final class Margin extends RowLoss {
        static final Margin INSTANCE = new Margin();

        @Override
        public String id() {
            return "margin";
        }

        @Override
        double row(int index, double[] z, int label, double[] grad) {
            int other = largestExcept(z, label);
            grad[other] = 1.0;
            grad[label] = -1.0;
            return z[other] - z[label];
        }
    }

    private static final class Dlr extends RowLoss {
        static final Dlr INSTANCE = new Dlr();

        @Override
        public String id() {
            return "dlr";
        }

        @Override
        double row(int index, double[] z, int label, double[] grad) {
            if (z.length < 3) {
                throw new IllegalArgumentException("the DLR loss needs at least 3 classes, the model has " + z.length);
            }
            int[] order = descending(z);
            int other = largestExcept(z, label);
            double num = z[label] - z[other];
            double den = z[order[0]] - z[order[2]] + DLR_FLOOR;
            // value = -num / den; d value = -(d num * den - num * d den) / den^2
            grad[label] -= 1.0 / den;
            grad[other] += 1.0 / den;
            double scale = num / (den * den);
            grad[order[0]] += scale;
            grad[order[2]] -= scale;
            return -num / den;
        }
    }

    private static final class TargetedDlr extends RowLoss {
        private final int[] targets;

        TargetedDlr(int[] targets) {
            this.targets = targets;
        }

        @Override
        public String id() {
            return "dlr-targeted";
        }

        @Override
        double row(int index, double[] z, int label, double[] grad) {
            if (z.length < 4) {
                throw new IllegalArgumentException("the targeted DLR loss needs at least 4 classes, the model has " + z.length);
            }
            if (index >= targets.length) {
                throw new IllegalArgumentException("targeted DLR has " + targets.length + " targets, the batch is larger");
            }
            int target = targets[index];
            int[] order = descending(z);
            double num = z[label] - z[target];
            double den = z[order[0]] - 0.5 * (z[order[2]] + z[order[3]]) + DLR_FLOOR;
            grad[label] -= 1.0 / den;
            grad[target] += 1.0 / den;
            double scale = num / (den * den);
            grad[order[0]] += scale;
            grad[order[2]] -= 0.5 * scale;
            grad[order[3]] -= 0.5 * scale;
            return -num / den;
        }
    }

    private static int largestExcept(double[] z, int excluded) {
        int best = -1;
        for (int j = 0; j < z.length; j++) {
            if (j != excluded && (best < 0 || z[j] > z[best])) {
                best = j;
            }
        }
        return best;
    }

    /** Class indices sorted by logit, largest first (ties by index). */
    private static int[] descending(double[] z) {
        return java.util.stream.IntStream.range(0, z.length).boxed()
                .sorted((a, b) -> z[a] != z[b] ? Double.compare(z[b], z[a]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * A [N, C] array as Java rows, through one flat copy: INDArray.toDoubleMatrix() copies element
     * by element and costs more than a small network's gradient pass.
     */
    static double[][] rows(INDArray matrix) {
        int n = (int) matrix.size(0);
        int c = (int) matrix.size(1);
        double[] flat = matrix.dup('c').data().asDouble();
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = java.util.Arrays.copyOfRange(flat, i * c, (i + 1) * c);
        }
        return rows;
    }

    static int[] argMaxRows(double[][] rows) {
        int[] result = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int best = 0;
            for (int j = 1; j < rows[i].length; j++) {
                if (rows[i][j] > rows[i][best]) {
                    best = j;
                }
            }
            result[i] = best;
        }
        return result;
    }
}
