package dev.advtrain.attacks.testing;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A synthetic 4-class image task: each class brightens one quadrant of a 6x6 image, with noise.
 * Learnable in a few dozen steps, and robust only to small perturbations, so attacks have
 * something to find.
 */
public final class TinyData {

    private TinyData() {
    }

    /** {@code n} examples, flattened [n, 36], pixels in [0, 1], one-hot labels [n, 4]. */
    public static DataSet quadrants(int n, long seed, DataType dataType) {
        SplittableRandom rng = new SplittableRandom(seed);
        int side = TinyModels.SIDE;
        double[] pixels = new double[n * side * side];
        double[] labels = new double[n * TinyModels.CLASSES];
        for (int i = 0; i < n; i++) {
            int cls = i % TinyModels.CLASSES;
            labels[i * TinyModels.CLASSES + cls] = 1.0;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    int quadrant = (r < side / 2 ? 0 : 2) + (c < side / 2 ? 0 : 1);
                    double level = quadrant == cls ? 0.65 : 0.35;
                    double value = level + (rng.nextDouble() - 0.5) * 0.5;
                    pixels[i * side * side + r * side + c] = Math.min(1.0, Math.max(0.0, value));
                }
            }
        }
        INDArray x = Nd4j.create(pixels, new long[] {n, (long) side * side}, 'c').castTo(dataType);
        INDArray y = Nd4j.create(labels, new long[] {n, TinyModels.CLASSES}, 'c').castTo(dataType);
        return new DataSet(x, y);
    }

    /** The same examples as images [n, 1, 6, 6], for models with a convolutional input type. */
    public static DataSet asImages(DataSet flat) {
        INDArray x = flat.getFeatures();
        return new DataSet(x.reshape('c', x.size(0), 1, TinyModels.SIDE, TinyModels.SIDE).dup(), flat.getLabels());
    }

    /** One-hot targets [n, C]: for each example the class after its true one, (y + 1) mod C. */
    public static INDArray nextClassTargets(INDArray labels) {
        INDArray targets = Nd4j.zeros(labels.dataType(), labels.shape());
        long[] truth = Nd4j.argMax(labels, 1).toLongVector();
        for (int i = 0; i < truth.length; i++) {
            targets.putScalar(i, (truth[i] + 1) % labels.size(1), 1.0);
        }
        return targets;
    }
}
