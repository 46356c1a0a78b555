package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.advtrain.attacks.model.GradientMode;
import java.util.Objects;

/**
 * The training attack and how its examples enter training ({@code adversarial:}). The attack keys
 * and their defaults are those of {@link AttackConfig}, except that the attack defaults to {@code
 * fgsm-rs} and there is no {@code limit}; {@link #trainingAttack()} returns them as one.
 *
 * @param attack default {@code fgsm-rs}
 * @param eps default 0.1; in [0, 1]
 * @param steps default per attack (1 for fgsm-rs)
 * @param stepSize {@code step_size}; default null
 * @param relStepSize {@code rel_step_size}; default per attack (1.25 for fgsm-rs)
 * @param randomStart {@code random_start}; default per attack (true for fgsm-rs)
 * @param restarts default 1
 * @param epsWarmupEpochs eps grows linearly from 0 to {@code eps} over this many epochs, fractions
 *     allowed ({@code eps_warmup_epochs}); >= 0; default 0.0 (no warm-up)
 * @param gradientMode the forward pass the training attack differentiates, {@code inference} or
 *     {@code training} ({@code gradient_mode}); default {@code inference}
 * @param mixing how adversarial examples are mixed into the batches; default {@link MixingConfig}'s
 */
public record AdversarialConfig(
        @JsonProperty("attack") AttackName attack,
        @JsonProperty("eps") double eps,
        @JsonProperty("steps") int steps,
        @JsonProperty("step_size") Double stepSize,
        @JsonProperty("rel_step_size") Double relStepSize,
        @JsonProperty("random_start") boolean randomStart,
        @JsonProperty("restarts") int restarts,
        @JsonProperty("eps_warmup_epochs") double epsWarmupEpochs,
        @JsonProperty("gradient_mode") GradientMode gradientMode,
        @JsonProperty("mixing") MixingConfig mixing) {

    /** Fills {@code relStepSize} with the attack's default when neither step key is set. */
    public AdversarialConfig {
        Objects.requireNonNull(attack, "attack");
        Objects.requireNonNull(gradientMode, "gradientMode");
        Objects.requireNonNull(mixing, "mixing");
        if (stepSize == null && relStepSize == null) {
            relStepSize = attack.defaultRelStepSize();
        }
    }

    @JsonCreator
    static AdversarialConfig fromYaml(
            @JsonProperty("attack") AttackName attack,
            @JsonProperty("eps") Double eps,
            @JsonProperty("steps") Integer steps,
            @JsonProperty("step_size") Double stepSize,
            @JsonProperty("rel_step_size") Double relStepSize,
            @JsonProperty("random_start") Boolean randomStart,
            @JsonProperty("restarts") Integer restarts,
            @JsonProperty("eps_warmup_epochs") Double epsWarmupEpochs,
            @JsonProperty("gradient_mode") GradientMode gradientMode,
            @JsonProperty("mixing") MixingConfig mixing) {
        AttackName a = requireNonNullElse(attack, AttackName.FGSM_RS);
        return new AdversarialConfig(a, requireNonNullElse(eps, 0.1), requireNonNullElse(steps, a.defaultSteps()),
                stepSize, relStepSize, requireNonNullElse(randomStart, a.randomStartByDefault()),
                requireNonNullElse(restarts, 1), requireNonNullElse(epsWarmupEpochs, 0.0),
                requireNonNullElse(gradientMode, GradientMode.INFERENCE),
                mixing != null ? mixing : MixingConfig.fromYaml(null, null, null));
    }

    /** The training attack's keys as an {@link AttackConfig} (with {@code limit} 0). */
    public AttackConfig trainingAttack() {
        return new AttackConfig(attack, eps, steps, stepSize, relStepSize, randomStart, restarts, 0);
    }
}
