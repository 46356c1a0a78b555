package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The L-inf gradient attacks a config can name ({@code attack: fgsm | fgsm-rs | pgd}), with the
 * defaults each implies for the keys left out.
 */
public enum AttackName {
    /** FGSM (Goodfellow et al. 2015): one step of eps from the clean input; no random start. */
    FGSM(1, 1.0, false),
    /** FGSM from a uniform random start (Wong et al. 2020), one step of 1.25 eps. */
    FGSM_RS(1, 1.25, true),
    /** PGD (Madry et al. 2018): from a random start, 10 steps of 0.25 eps by default. */
    PGD(10, 0.25, true);

    private final int defaultSteps;
    private final double defaultRelStepSize;
    private final boolean randomStartByDefault;

    AttackName(int defaultSteps, double defaultRelStepSize, boolean randomStartByDefault) {
        this.defaultSteps = defaultSteps;
        this.defaultRelStepSize = defaultRelStepSize;
        this.randomStartByDefault = randomStartByDefault;
    }

    /** Whether the attack takes exactly one step (FGSM and FGSM-RS). */
    public boolean singleStep() {
        return this != PGD;
    }

    /** {@code steps} when not given: 1 for the FGSM variants, 10 for PGD. */
    public int defaultSteps() {
        return defaultSteps;
    }

    /** {@code rel_step_size} when neither step key is given: fgsm 1.0, fgsm-rs 1.25, pgd 0.25. */
    public double defaultRelStepSize() {
        return defaultRelStepSize;
    }

    /** {@code random_start} when not given: false for fgsm, true otherwise. */
    public boolean randomStartByDefault() {
        return randomStartByDefault;
    }

    /** The YAML spelling: {@code fgsm}, {@code fgsm-rs} or {@code pgd}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The attack spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static AttackName of(String text) {
        return ConfigEnums.parse(AttackName.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
