package dev.advtrain.core.run;

import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.testing.LearnableMnist;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/** Whole training runs on the learnable band task's IDX files: the shared set-up of the run tests. */
final class RunFixture {

    private RunFixture() {
    }

    /** The band task's IDX files ({@link LearnableMnist#sharedFiles()}). */
    static Path data() {
        return LearnableMnist.sharedFiles();
    }

    /**
     * A run of 2 short epochs on 600 training and 100 validation images of {@link #data()}, with a
     * small evaluation, then {@code extra} overrides.
     */
    static RunConfig config(Path runs, String name, String... extra) {
        List<String> overrides = new ArrayList<>(List.of(
                "name=" + name, "output.runs_dir=" + runs, "data.dir=" + data(),
                "data.train_limit=700", "data.validation_size=100", "data.test_limit=300",
                "training.epochs=2", "training.batch_size=50",
                "adversarial.eps_warmup_epochs=0.5", "validation.steps=3",
                "evaluation.clean_limit=300",
                "evaluation.attacks=[{attack: pgd, eps: 0.1, steps: 5, step_size: 0.03, limit: 100}, {attack: fgsm, eps: 0.1, limit: 100}]"));
        overrides.addAll(List.of(extra));
        return ConfigLoader.load(null, overrides, Map.of()).validate();
    }

    /** {@link #config} of the MLP on 400 training and 100 validation images, with a token evaluation. */
    static RunConfig small(Path runs, String name, String... extra) {
        return config(runs, name, concat(new String[] {"model.arch=mlp", "data.train_limit=500",
            "data.test_limit=50", "evaluation.clean_limit=50", "evaluation.attacks=[]"}, extra));
    }

    static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }

    /** The parameters of a saved network, exactly, for comparing two files. */
    static String params(Path model) throws IOException {
        return params(ModelSerializer.restoreMultiLayerNetwork(model.toFile(), false));
    }

    /** The parameters of a network, exactly, as {@link #params(Path)} gives them. */
    static String params(MultiLayerNetwork network) {
        return Arrays.toString(network.params().toFloatVector());
    }
}
