package dev.advtrain.core.model;

import dev.advtrain.core.UserErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/** Reads DL4J model files, whichever kind of network they hold. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * A saved MultiLayerNetwork or ComputationGraph.
     *
     * @param withUpdater also load the optimiser state (to train on)
     * @throws UserErrorException if the file is missing or not a DL4J model
     */
    public static Model load(Path file, boolean withUpdater) {
        if (!Files.isRegularFile(file)) {
            throw new UserErrorException("model file not found: " + file);
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), withUpdater);
        } catch (IOException | RuntimeException notMultiLayer) {
            try {
                return ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater);
            } catch (IOException | RuntimeException e) {
                throw new UserErrorException(file + ": not a DL4J model file ("
                        + UserErrorException.firstLine(notMultiLayer) + ")", e);
            }
        }
    }
}
