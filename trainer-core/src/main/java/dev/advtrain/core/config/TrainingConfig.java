package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The optimisation ({@code training:}).
 *
 * @param epochs passes over the training set; >= 1; default 3
 * @param batchSize examples per batch ({@code batch_size}); >= 1; default 128
 * @param optimizer {@code adam}, {@code sgd} or {@code nesterovs}; default {@code adam}
 * @param learningRate initial learning rate ({@code learning_rate}); > 0; default 0.001
 * @param lrSchedule {@code constant}, {@code step} or {@code cosine} ({@code lr_schedule}); default
 *     {@code constant}
 * @param lrDecay for {@code step}: factor applied at each milestone ({@code lr_decay}); in (0, 1];
 *     default 0.1
 * @param lrMilestones for {@code step}: the epochs (1-based, increasing) at whose start the rate is
 *     multiplied by {@code lr_decay} ({@code lr_milestones}); required non-empty for {@code step};
 *     default empty
 * @param weightDecay L2 weight decay ({@code weight_decay}); >= 0; default 0.0
 * @param lrPeak for {@code cyclic}: the fraction of training at which the rate peaks ({@code
 *     lr_peak}); in (0, 1); default 0.4
 * @param emaDecay the decay of an exponential moving average of the weights ({@code ema_decay}),
 *     which validation, {@code model-best.zip}, {@code model.zip} and the evaluation use in place of
 *     the last weights; in [0, 1), 0 = off; default 0
 */
public record TrainingConfig(
        @JsonProperty("epochs") int epochs,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("optimizer") Optimizer optimizer,
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("lr_schedule") LrSchedule lrSchedule,
        @JsonProperty("lr_decay") double lrDecay,
        @JsonProperty("lr_milestones") List<Integer> lrMilestones,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("lr_peak") double lrPeak,
        @JsonProperty("ema_decay") double emaDecay) {

    /** Copies {@code lrMilestones} into an immutable list. */
    public TrainingConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(lrSchedule, "lrSchedule");
        lrMilestones = List.copyOf(lrMilestones);
    }

    @JsonCreator
    static TrainingConfig fromYaml(
            @JsonProperty("epochs") Integer epochs,
            @JsonProperty("batch_size") Integer batchSize,
            @JsonProperty("optimizer") Optimizer optimizer,
            @JsonProperty("learning_rate") Double learningRate,
            @JsonProperty("lr_schedule") LrSchedule lrSchedule,
            @JsonProperty("lr_decay") Double lrDecay,
            @JsonProperty("lr_milestones") List<Integer> lrMilestones,
            @JsonProperty("weight_decay") Double weightDecay,
            @JsonProperty("lr_peak") Double lrPeak,
            @JsonProperty("ema_decay") Double emaDecay) {
        if (lrMilestones != null && lrMilestones.contains(null)) {
            throw new IllegalArgumentException("expected a list of epochs, got an empty entry");
        }
        return new TrainingConfig(requireNonNullElse(epochs, 3), requireNonNullElse(batchSize, 128),
                requireNonNullElse(optimizer, Optimizer.ADAM), requireNonNullElse(learningRate, 0.001),
                requireNonNullElse(lrSchedule, LrSchedule.CONSTANT), requireNonNullElse(lrDecay, 0.1),
                requireNonNullElse(lrMilestones, List.of()), requireNonNullElse(weightDecay, 0.0),
                requireNonNullElse(lrPeak, 0.4), requireNonNullElse(emaDecay, 0.0));
    }
}
