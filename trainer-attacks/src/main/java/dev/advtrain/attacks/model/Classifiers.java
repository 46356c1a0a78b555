package dev.advtrain.attacks.model;

import dev.advtrain.attacks.DifferentiableClassifier;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Adapters from DL4J models to the attack capabilities. */
public final class Classifiers {

    private Classifiers() {
    }

    /** The model as deployed: gradients in inference mode. */
    public static DifferentiableClassifier of(Model model) {
        return of(model, GradientMode.INFERENCE);
    }

    /** A MultiLayerNetwork or single-input, single-output ComputationGraph classifier. */
    public static DifferentiableClassifier of(Model model, GradientMode mode) {
        if (model instanceof MultiLayerNetwork network) {
            return new MultiLayerNetworkClassifier(network, mode);
        }
        if (model instanceof ComputationGraph graph) {
            return new ComputationGraphClassifier(graph, mode);
        }
        throw new IllegalArgumentException("unsupported model type " + model.getClass().getName()
                + ": expected MultiLayerNetwork or ComputationGraph");
    }
}
