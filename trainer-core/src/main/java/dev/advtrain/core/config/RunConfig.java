package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.advtrain.core.UserErrorException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything one run needs, as one immutable value: the root of the YAML config. Every key has a
 * default (an empty file is a valid config); {@link ConfigLoader} reads it from YAML and {@code
 * --set} overrides, {@link #validate()} checks it, and {@link #toYaml()} writes the resolved config
 * saved beside every result. {@code configs/mnist-default.yaml} documents each key.
 *
 * @param name run name, the directory {@code <output.runs_dir>/<name>}; letters, digits, {@code
 *     .}, {@code _} and {@code -}; default {@code mnist-default}
 * @param seed the one seed every random choice of the run derives from; default 42
 * @param data the dataset and how much of it is used
 * @param model the network
 * @param training the optimisation
 * @param adversarial the training attack and how adversarial examples are mixed in
 * @param validation the attack for per-epoch robust validation accuracy; default PGD, eps 0.1, 10
 *     steps of 0.25 eps, random start, 1 restart, all validation examples ({@code limit} 0)
 * @param evaluation the final report on the test set
 * @param guards the guards against catastrophic overfitting, robust overfitting and divergence
 * @param output where results go
 * @param finetune transfer learning on the model {@code model.file} names
 * @param distributed training on a Spark cluster; off unless {@code distributed.master} is set
 */
public record RunConfig(
        @JsonProperty("name") String name,
        @JsonProperty("seed") long seed,
        @JsonProperty("data") DataConfig data,
        @JsonProperty("model") ModelConfig model,
        @JsonProperty("training") TrainingConfig training,
        @JsonProperty("adversarial") AdversarialConfig adversarial,
        @JsonProperty("validation") AttackConfig validation,
        @JsonProperty("evaluation") EvaluationConfig evaluation,
        @JsonProperty("guards") GuardsConfig guards,
        @JsonProperty("output") OutputConfig output,
        @JsonProperty("finetune") FinetuneConfig finetune,
        @JsonProperty("distributed") DistributedConfig distributed) {

    private static final RunConfig DEFAULTS = fromYaml(null, null, null, null, null, null, null, null, null, null, null,
            null);

    public RunConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(adversarial, "adversarial");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(guards, "guards");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(finetune, "finetune");
        Objects.requireNonNull(distributed, "distributed");
    }

    /** A config that trains in this JVM ({@code distributed} at its defaults). */
    public RunConfig(String name, long seed, DataConfig data, ModelConfig model, TrainingConfig training,
            AdversarialConfig adversarial, AttackConfig validation, EvaluationConfig evaluation, GuardsConfig guards,
            OutputConfig output, FinetuneConfig finetune) {
        this(name, seed, data, model, training, adversarial, validation, evaluation, guards, output, finetune,
                DistributedConfig.fromYaml(null, null, null, null, null));
    }

    @JsonCreator
    static RunConfig fromYaml(
            @JsonProperty("name") String name,
            @JsonProperty("seed") Long seed,
            @JsonProperty("data") DataConfig data,
            @JsonProperty("model") ModelConfig model,
            @JsonProperty("training") TrainingConfig training,
            @JsonProperty("adversarial") AdversarialConfig adversarial,
            @JsonProperty("validation") AttackConfig validation,
            @JsonProperty("evaluation") EvaluationConfig evaluation,
            @JsonProperty("guards") GuardsConfig guards,
            @JsonProperty("output") OutputConfig output,
            @JsonProperty("finetune") FinetuneConfig finetune,
            @JsonProperty("distributed") DistributedConfig distributed) {
        return new RunConfig(requireNonNullElse(name, "mnist-default"), requireNonNullElse(seed, 42L),
                data != null ? data : DataConfig.fromYaml(null, null, null, null, null, null, null),
                model != null ? model : ModelConfig.fromYaml(null, null, null, null, null, null, null, null),
                training != null ? training : TrainingConfig.fromYaml(null, null, null, null, null, null, null, null, null, null),
                adversarial != null ? adversarial : AdversarialConfig.fromYaml(null, null, null, null, null, null,
                        null, null, null, null, null, null, null, null),
                validation != null ? validation : AttackConfig.fromYaml(null, null, null, null, null, null, null, null),
                evaluation != null ? evaluation : EvaluationConfig.fromYaml(null, null),
                guards != null ? guards : GuardsConfig.fromYaml(null, null),
                output != null ? output : OutputConfig.fromYaml(null),
                finetune != null ? finetune : FinetuneConfig.fromYaml(null, null, null, null),
                distributed != null ? distributed : DistributedConfig.fromYaml(null, null, null, null, null));
    }

    /** The config of an empty YAML file: every key at its documented default. Valid. */
    public static RunConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Checks every constraint documented on the keys (all in {@code ConfigValidator}).
     *
     * @return this config
     * @throws UserErrorException one line naming each wrong key, its constraint and its value
     */
    public RunConfig validate() {
        List<ConfigValidator.Problem> problems = ConfigValidator.check(this);
        if (!problems.isEmpty()) {
            throw new UserErrorException(ConfigLoader.oneLine(problems.stream().map(ConfigValidator.Problem::message)
                    .collect(Collectors.joining("; "))));
        }
        return this;
    }

    /** This run's directory, {@code <output.runs_dir>/<name>}. */
    public Path runDirectory() {
        return Path.of(output.runsDir()).resolve(name);
    }

    /**
     * The config as YAML with every key spelled out, for the run directory; {@link
     * ConfigLoader#fromYaml(String)} reads it back to an equal config.
     */
    public String toYaml() {
        return ConfigLoader.toYaml(this);
    }
}
