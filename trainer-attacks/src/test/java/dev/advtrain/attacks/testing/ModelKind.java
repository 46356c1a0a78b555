package dev.advtrain.attacks.testing;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The kinds of model every attack must handle, for parameterized tests: a flat MLP, a CNN that
 * takes [N, 1, 6, 6] images, and a ComputationGraph with dropout and batch normalization.
 *
 * @param name shown in test names
 * @param factory builds a fresh, untrained model
 * @param images whether the model takes [N, 1, 6, 6] rather than flat [N, 36] inputs
 */
public record ModelKind(String name, Supplier<Model> factory, boolean images) {

    /** MLP, NCHW CNN, graph with dropout and batch norm. */
    public static List<ModelKind> all() {
        return List.of(
                new ModelKind("mlp", () -> TinyModels.mlp(1, DataType.FLOAT), false),
                new ModelKind("cnnNchw", () -> TinyModels.cnnNchw(2, DataType.FLOAT), true),
                new ModelKind("graph", () -> TinyModels.graphWithDropoutAndBatchNorm(3, DataType.FLOAT), false));
    }

    /** A fresh model trained for some full-batch steps on quadrant images (its updater state non-trivial). */
    public Model trained(int steps) {
        return TinyModels.train(factory.get(), data(TinyData.quadrants(64, 11, DataType.FLOAT)), steps);
    }

    /** The flat examples shaped as this kind of model takes them. */
    public DataSet data(DataSet flat) {
        return images ? TinyData.asImages(flat) : flat;
    }

    @Override
    public String toString() {
        return name;
    }
}
