package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.advtrain.attacks.StepSize;
import java.util.Objects;

/**
 * One L-inf attack's settings, the same keys wherever an attack is configured ({@code validation},
 * each entry of {@code evaluation.attacks}; {@code adversarial} adds training keys to them). Keys
 * left out take the defaults below, some of which depend on {@code attack}.
 *
 * <pre>{@code
 * {attack: pgd, eps: 0.1, steps: 20, step_size: 0.01, random_start: true, restarts: 1, limit: 1000}
 * }</pre>
 *
 * @param attack which attack; default {@code pgd}
 * @param eps L-inf radius in input units (inputs are in [0, 1]); in [0, 1]; default 0.1
 * @param steps gradient steps; must be 1 for fgsm and fgsm-rs; default 1 for those, 10 for pgd
 * @param stepSize absolute step ({@code step_size}), or null to use {@code rel_step_size}; > 0
 * @param relStepSize step as a multiple of eps ({@code rel_step_size}); > 0; at most one of the two
 *     step keys may be set; when neither is, it is the attack's default (fgsm 1.0, fgsm-rs 1.25, pgd
 *     0.25)
 * @param randomStart start from a uniform point in the eps-ball ({@code random_start}); false for
 *     fgsm, true for fgsm-rs, free for pgd; default per attack
 * @param restarts independent runs keeping the strongest per example; >= 1, 1 for fgsm; default 1
 * @param limit how many examples to attack, 0 = all; >= 0; default 0
 */
public record AttackConfig(
        @JsonProperty("attack") AttackName attack,
        @JsonProperty("eps") double eps,
        @JsonProperty("steps") int steps,
        @JsonProperty("step_size") Double stepSize,
        @JsonProperty("rel_step_size") Double relStepSize,
        @JsonProperty("random_start") boolean randomStart,
        @JsonProperty("restarts") int restarts,
        @JsonProperty("limit") int limit) {

    /** Fills {@code relStepSize} with the attack's default when neither step key is set. */
    public AttackConfig {
        Objects.requireNonNull(attack, "attack");
        if (stepSize == null && relStepSize == null) {
            relStepSize = attack.defaultRelStepSize();
        }
    }

    @JsonCreator
    static AttackConfig fromYaml(
            @JsonProperty("attack") AttackName attack,
            @JsonProperty("eps") Double eps,
            @JsonProperty("steps") Integer steps,
            @JsonProperty("step_size") Double stepSize,
            @JsonProperty("rel_step_size") Double relStepSize,
            @JsonProperty("random_start") Boolean randomStart,
            @JsonProperty("restarts") Integer restarts,
            @JsonProperty("limit") Integer limit) {
        AttackName a = requireNonNullElse(attack, AttackName.PGD);
        return new AttackConfig(a, requireNonNullElse(eps, 0.1), requireNonNullElse(steps, a.defaultSteps()),
                stepSize, relStepSize, requireNonNullElse(randomStart, a.randomStartByDefault()),
                requireNonNullElse(restarts, 1), requireNonNullElse(limit, 0));
    }

    /** The step in input units: {@code step_size}, else {@code rel_step_size * eps}. */
    public double resolvedStepSize() {
        return stepSize != null ? stepSize : requireNonNullElse(relStepSize, attack.defaultRelStepSize()) * eps;
    }

    /**
     * The step as the attacks module takes it, kept relative where the config is relative, so that it
     * follows eps through a warm-up. Call on a validated config (the step must be > 0).
     */
    public StepSize toStepSize() {
        return stepSize != null
                ? StepSize.absolute(stepSize)
                : StepSize.relative(requireNonNullElse(relStepSize, attack.defaultRelStepSize()));
    }

    /** The same attack with its step size (absolute or relative) multiplied by {@code factor}. */
    public AttackConfig withStepScaled(double factor) {
        return new AttackConfig(attack, eps, steps, stepSize == null ? null : stepSize * factor,
                relStepSize == null ? null : relStepSize * factor, randomStart, restarts, limit);
    }
}
