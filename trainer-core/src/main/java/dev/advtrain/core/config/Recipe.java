package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Set;

/**
 * The training recipes ({@code adversarial.recipe}): each a preset over the same loop, with the
 * attacks it accepts in {@code adversarial.attack} (the first is the default).
 */
public enum Recipe {
    /** PGD adversarial training (Madry et al. 2018): PGD-k from a random start. */
    PGD_AT(AttackName.PGD),
    /** Fast adversarial training (Wong et al. 2020): FGSM from a uniform random start, step 1.25 eps. */
    FAST_AT(AttackName.FGSM_RS, AttackName.FGSM),
    /**
     * N-FGSM (de Jorge et al. 2022): uniform noise of 2 eps, one FGSM step of eps, no projection back
     * to the eps-ball.
     */
    N_FGSM(AttackName.FGSM_RS),
    /**
     * Free adversarial training (Shafahi et al. 2019): each batch replayed {@code replays} times,
     * the perturbation stepped by eps with the input gradient of each weight update's own backward
     * pass and carried over to the next batch.
     */
    FREE(AttackName.FGSM),
    /** TRADES (Zhang et al. 2019): clean cross-entropy plus beta KL(clean || adversarial). */
    TRADES(AttackName.PGD),
    /** MART (Wang et al. 2020): boosted cross-entropy plus misclassification-weighted KL. */
    MART(AttackName.PGD);

    private final AttackName defaultAttack;
    private final Set<AttackName> attacks;

    Recipe(AttackName defaultAttack, AttackName... others) {
        this.defaultAttack = defaultAttack;
        this.attacks = EnumSet.of(defaultAttack, others);
    }

    /** The attack when {@code adversarial.attack} is left out. */
    public AttackName defaultAttack() {
        return defaultAttack;
    }

    /** Whether {@code adversarial.attack} may name {@code attack} with this recipe. */
    public boolean accepts(AttackName attack) {
        return attacks.contains(attack);
    }

    /** The recipe a config without {@code recipe} means: pgd-at for pgd, fast-at for fgsm and fgsm-rs. */
    public static Recipe impliedBy(AttackName attack) {
        return attack == AttackName.PGD ? PGD_AT : FAST_AT;
    }

    /** Whether clean and adversarial examples share batches by {@code adversarial.mixing}. */
    public boolean mixes() {
        return this == PGD_AT || this == FAST_AT || this == N_FGSM;
    }

    /** The YAML spelling, e.g. {@code pgd-at}. */
    @JsonValue
    public String id() {
        return ConfigEnums.id(this);
    }

    /** The recipe spelled {@code text} (case-insensitive); unknown names list the allowed ones. */
    @JsonCreator
    public static Recipe of(String text) {
        return ConfigEnums.parse(Recipe.class, text);
    }

    @Override
    public String toString() {
        return id();
    }
}
