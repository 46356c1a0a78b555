package dev.advtrain.spark;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.core.config.AdversarialConfig;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.train.recipe.InterleavedBatches;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Makes each minibatch adversarial on the worker, just before the worker's replica fits it: DL4J's
 * {@code ParameterAveragingTrainingWorker} calls {@link #preUpdate} with the replica as it is
 * after the worker's previous minibatch, and the hook replaces the batch's features with {@link
 * InterleavedBatches#mix}'s result, the same code the local trainer runs. The batch's plan
 * (index, eps, seed) comes with it ({@link BatchPlan}).
 *
 * <p>The hook travels to the workers serialised, with every task of every averaging round, so it
 * carries the run config as YAML and builds the attack on first use; the parsed config is kept per
 * JVM, so an executor parses it once.
 */
final class AdversarialHook implements TrainingHook {

    private static final long serialVersionUID = 1L;

    /** Parsed run configs by their YAML, per JVM. */
    private static final Map<String, AdversarialConfig> PARSED = new ConcurrentHashMap<>();

    private final String configYaml;
    private transient AdversarialConfig config;
    private transient InterleavedBatches batches;
    private transient Model attackedModel;
    private transient DifferentiableClassifier attacked;

    /** @param configYaml the run config ({@code RunConfig.toYaml()}) whose {@code adversarial:} section applies */
    AdversarialHook(String configYaml) {
        this.configYaml = configYaml;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        BatchPlan plan = BatchPlan.of(minibatch.getExampleMetaData());
        minibatch.setFeatures(batches().mix(attacked(model), plan.batch(minibatch.getFeatures(), minibatch.getLabels()))
                .features());
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        BatchPlan plan = BatchPlan.of(minibatch.getExampleMetaData());
        minibatch.setFeatures(0, batches().mix(attacked(model), plan.batch(minibatch.getFeatures(0),
                minibatch.getLabels(0))).features());
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }

    private InterleavedBatches batches() {
        if (batches == null) {
            config = PARSED.computeIfAbsent(configYaml, yaml -> ConfigLoader.fromYaml(yaml).adversarial());
            batches = InterleavedBatches.of(config);
        }
        return batches;
    }

    /** The attack's view of the replica, kept while the worker trains the same replica. */
    private DifferentiableClassifier attacked(Model model) {
        batches(); // reads the config
        if (model != attackedModel) {
            attacked = Classifiers.of(model, config.gradientMode());
            attackedModel = model;
        }
        return attacked;
    }
}
