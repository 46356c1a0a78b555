package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.advtrain.attacks.model.GradientMode;
import java.util.Objects;

/**
 * The training recipe, its attack and how its examples enter training ({@code adversarial:}). The
 * attack keys and their defaults are those of {@link AttackConfig}, except that the attack defaults
 * to the recipe's and there is no {@code limit}; {@link #trainingAttack()} returns them as one.
 *
 * @param recipe the training recipe; default implied by {@code attack} ({@code pgd-at} for pgd,
 *     {@code fast-at} otherwise), {@code fast-at} when both are left out
 * @param attack the recipe's attack; default the recipe's ({@link Recipe#defaultAttack()})
 * @param eps default 0.1; in [0, 1]
 * @param steps default per attack (1 for fgsm-rs)
 * @param stepSize {@code step_size}; default null
 * @param relStepSize {@code rel_step_size}; default per attack (1.25 for fgsm-rs), except 1.0 for
 *     {@code n-fgsm}
 * @param randomStart {@code random_start}; default per attack (true for fgsm-rs)
 * @param restarts default 1
 * @param epsWarmupEpochs eps grows linearly from 0 to {@code eps} over this many epochs, fractions
 *     allowed ({@code eps_warmup_epochs}); >= 0; default 0.0 (no warm-up)
 * @param gradientMode the forward pass the training attack differentiates, {@code inference} or
 *     {@code training} ({@code gradient_mode}); default {@code inference}
 * @param mixing how adversarial examples are mixed into the batches ({@code pgd-at}, {@code fast-at},
 *     {@code n-fgsm}); default {@link MixingConfig}'s; the other recipes train on every batch's
 *     adversarial version and default to {@code adversarial-only}
 * @param replays {@code free}: times each batch is replayed; >= 1; default 4
 * @param beta {@code trades}, {@code mart}: weight of the KL term; > 0; default 6.0
 * @param noise {@code n-fgsm}: half-width of the uniform noise, as a multiple of eps; >= 0; default 2.0
 */
public record AdversarialConfig(
        @JsonProperty("recipe") Recipe recipe,
        @JsonProperty("attack") AttackName attack,
        @JsonProperty("eps") double eps,
        @JsonProperty("steps") int steps,
        @JsonProperty("step_size") Double stepSize,
        @JsonProperty("rel_step_size") Double relStepSize,
        @JsonProperty("random_start") boolean randomStart,
        @JsonProperty("restarts") int restarts,
        @JsonProperty("eps_warmup_epochs") double epsWarmupEpochs,
        @JsonProperty("gradient_mode") GradientMode gradientMode,
        @JsonProperty("mixing") MixingConfig mixing,
        @JsonProperty("replays") int replays,
        @JsonProperty("beta") double beta,
        @JsonProperty("noise") double noise) {

    /** Fills {@code relStepSize} with the attack's default when neither step key is set. */
    public AdversarialConfig {
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(attack, "attack");
        Objects.requireNonNull(gradientMode, "gradientMode");
        Objects.requireNonNull(mixing, "mixing");
        if (stepSize == null && relStepSize == null) {
            relStepSize = recipe == Recipe.N_FGSM ? 1.0 : attack.defaultRelStepSize();
        }
    }

    @JsonCreator
    static AdversarialConfig fromYaml(
            @JsonProperty("recipe") Recipe recipe,
            @JsonProperty("attack") AttackName attack,
            @JsonProperty("eps") Double eps,
            @JsonProperty("steps") Integer steps,
            @JsonProperty("step_size") Double stepSize,
            @JsonProperty("rel_step_size") Double relStepSize,
            @JsonProperty("random_start") Boolean randomStart,
            @JsonProperty("restarts") Integer restarts,
            @JsonProperty("eps_warmup_epochs") Double epsWarmupEpochs,
            @JsonProperty("gradient_mode") GradientMode gradientMode,
            @JsonProperty("mixing") MixingConfig mixing,
            @JsonProperty("replays") Integer replays,
            @JsonProperty("beta") Double beta,
            @JsonProperty("noise") Double noise) {
        Recipe r = recipe != null ? recipe : attack != null ? Recipe.impliedBy(attack) : Recipe.FAST_AT;
        AttackName a = requireNonNullElse(attack, r.defaultAttack());
        if (mixing == null) {
            mixing = r.mixes() ? MixingConfig.fromYaml(null, null, null)
                    : MixingConfig.fromYaml(MixingPolicy.ADVERSARIAL_ONLY, null, null);
        }
        return new AdversarialConfig(r, a, requireNonNullElse(eps, 0.1), requireNonNullElse(steps, a.defaultSteps()),
                stepSize, relStepSize, requireNonNullElse(randomStart, a.randomStartByDefault()),
                requireNonNullElse(restarts, 1), requireNonNullElse(epsWarmupEpochs, 0.0),
                requireNonNullElse(gradientMode, GradientMode.INFERENCE), mixing,
                requireNonNullElse(replays, 4), requireNonNullElse(beta, 6.0), requireNonNullElse(noise, 2.0));
    }

    /** The training attack's keys as an {@link AttackConfig} (with {@code limit} 0). */
    public AttackConfig trainingAttack() {
        return new AttackConfig(attack, eps, steps, stepSize, relStepSize, randomStart, restarts, 0);
    }

    /** Optimiser steps per training batch: {@code replays} for the free recipe, else 1. */
    public int updatesPerBatch() {
        return recipe == Recipe.FREE ? replays : 1;
    }
}
