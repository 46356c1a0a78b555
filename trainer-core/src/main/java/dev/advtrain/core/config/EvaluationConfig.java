package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The final report on the test set ({@code evaluation:}).
 *
 * @param cleanLimit test images for the clean accuracy ({@code clean_limit}), 0 = all those
 *     loaded ({@code data.test_limit}); >= 0; default 0
 * @param attacks the attacks whose robust accuracy is reported, each on its {@code limit} first
 *     test images; may be empty; default PGD (eps 0.1, 20 steps of 0.01, random start, 1 restart,
 *     limit 1000) and FGSM (eps 0.1, limit 1000)
 */
public record EvaluationConfig(
        @JsonProperty("clean_limit") int cleanLimit,
        @JsonProperty("attacks") List<AttackConfig> attacks) {

    /** Copies {@code attacks} into an immutable list. */
    public EvaluationConfig {
        attacks = List.copyOf(attacks);
    }

    @JsonCreator
    static EvaluationConfig fromYaml(
            @JsonProperty("clean_limit") Integer cleanLimit,
            @JsonProperty("attacks") List<AttackConfig> attacks) {
        if (attacks != null && attacks.contains(null)) {
            throw new IllegalArgumentException("expected a list of attacks, got an empty entry");
        }
        return new EvaluationConfig(requireNonNullElse(cleanLimit, 0), requireNonNullElse(attacks, List.of(
                new AttackConfig(AttackName.PGD, 0.1, 20, 0.01, null, true, 1, 1000),
                new AttackConfig(AttackName.FGSM, 0.1, 1, null, null, false, 1, 1000))));
    }
}
