package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Transfer learning on a model that {@code model.file} names ({@code finetune:}): which layers stay
 * as they are, whether the output layer is replaced, and how fast the kept layers learn. Any
 * training recipe then runs on top (adversarial fine-tuning). Without {@code model.file} only
 * {@code learning_rate} may be given (and waits for a model brought by {@code advtrain finetune
 * --model}).
 *
 * @param freeze the first this many layers keep their weights; >= 0; default 0
 * @param freezeUpTo freeze every layer up to and including the layer of this name ({@code
 *     freeze_up_to}); null for none; not with {@code freeze}
 * @param replaceOutput train a new, freshly initialised output layer for the data's classes ({@code
 *     replace_output}); needed when the model's class count differs from the data's; default false
 * @param learningRate the learning rate of fine-tuning ({@code learning_rate}) for every layer that
 *     is not frozen, on {@code training}'s optimiser and schedule; it takes the place of {@code
 *     training.learning_rate} when a model is loaded, so one config can train from scratch and
 *     fine-tune; 0 = {@code training.learning_rate}; >= 0; default 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FinetuneConfig(
        @JsonProperty("freeze") int freeze,
        @JsonProperty("freeze_up_to") String freezeUpTo,
        @JsonProperty("replace_output") boolean replaceOutput,
        @JsonProperty("learning_rate") double learningRate) {

    @JsonCreator
    static FinetuneConfig fromYaml(
            @JsonProperty("freeze") Integer freeze,
            @JsonProperty("freeze_up_to") String freezeUpTo,
            @JsonProperty("replace_output") Boolean replaceOutput,
            @JsonProperty("learning_rate") Double learningRate) {
        return new FinetuneConfig(requireNonNullElse(freeze, 0), freezeUpTo, requireNonNullElse(replaceOutput, false),
                requireNonNullElse(learningRate, 0.0));
    }

    /** The learning rate of the model's own layers: {@code learning_rate}, or the training rate when 0. */
    public double learningRate(TrainingConfig training) {
        return learningRate > 0 ? learningRate : training.learningRate();
    }
}
