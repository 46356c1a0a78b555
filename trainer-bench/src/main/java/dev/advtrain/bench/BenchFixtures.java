package dev.advtrain.bench;

import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.model.ModelFactory;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What every benchmark measures on: the default {@code small-cnn} and MNIST-shaped batches. */
final class BenchFixtures {

    private BenchFixtures() {
    }

    /** The default config's network (small-cnn), freshly initialised with seed 1. */
    static MultiLayerNetwork defaultNetwork() {
        RunConfig config = RunConfig.defaults();
        return ModelFactory.build(config.model(), config.training(), 1, 100);
    }

    /** {@code batch} flat MNIST-sized images of uniform random pixels. */
    static INDArray randomImages(int batch) {
        return Nd4j.rand(DataType.FLOAT, batch, ModelFactory.HEIGHT * ModelFactory.WIDTH);
    }

    /** One-hot labels [N, 10] for the given classes. */
    static INDArray oneHot(int[] classes) {
        INDArray labels = Nd4j.zeros(DataType.FLOAT, classes.length, ModelFactory.CLASSES);
        for (int i = 0; i < classes.length; i++) {
            labels.putScalar(i, classes[i], 1.0);
        }
        return labels;
    }

    /** One-hot labels cycling through the classes: 0, 1, ..., 9, 0, 1, ... */
    static INDArray cyclicLabels(int batch) {
        int[] classes = new int[batch];
        for (int i = 0; i < batch; i++) {
            classes[i] = i % ModelFactory.CLASSES;
        }
        return oneHot(classes);
    }

    /** The median of the values (the mean of the middle two for an even count); NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
