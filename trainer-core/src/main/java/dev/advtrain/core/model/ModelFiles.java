package dev.advtrain.core.model;

import dev.advtrain.core.UserErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Reads and writes DL4J model files, whichever kind of network they hold; advtrain's own files also
 * carry the class names, so reports and pictures can name classes.
 */
public final class ModelFiles {

    /** The entry ({@code objects/class-names}) holding the class names, a list of strings. */
    static final String CLASS_NAMES = "class-names";

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

    /**
     * Saves a model with its updater state and, when given, its class names (indexed by label).
     *
     * @param classNames one name per class, or empty for none
     */
    public static void write(Model model, Path file, List<String> classNames) throws IOException {
        ModelSerializer.writeModel(model, file.toFile(), true);
        if (!classNames.isEmpty()) {
            ModelSerializer.addObjectToFile(file.toFile(), CLASS_NAMES, new ArrayList<>(classNames));
        }
    }

    /** The class names saved with a model by {@link #write}, or an empty list for a file without them. */
    public static List<String> classNames(Path file) {
        try {
            if (!ModelSerializer.listObjectsInFile(file.toFile()).contains(CLASS_NAMES)) {
                return List.of();
            }
            Object names = ModelSerializer.getObjectFromFile(file.toFile(), CLASS_NAMES);
            return names instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
