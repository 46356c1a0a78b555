package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * How adversarial examples are mixed into training ({@code adversarial.mixing:}).
 *
 * @param policy {@code mix}, {@code alternate}, {@code adversarial-only} or {@code clean-only};
 *     default {@code mix}
 * @param fraction for {@code mix}: share of each batch replaced by its adversarial version; in [0,
 *     1]; default 0.5
 * @param ratio for {@code alternate}: adversarial batches per clean batch (1.0 = every other batch,
 *     0.5 = one adversarial per two clean, 3.0 = three adversarial per clean); >= 0; default 1.0
 */
public record MixingConfig(
        @JsonProperty("policy") MixingPolicy policy,
        @JsonProperty("fraction") double fraction,
        @JsonProperty("ratio") double ratio) {

    public MixingConfig {
        Objects.requireNonNull(policy, "policy");
    }

    @JsonCreator
    static MixingConfig fromYaml(
            @JsonProperty("policy") MixingPolicy policy,
            @JsonProperty("fraction") Double fraction,
            @JsonProperty("ratio") Double ratio) {
        return new MixingConfig(requireNonNullElse(policy, MixingPolicy.MIX), requireNonNullElse(fraction, 0.5),
                requireNonNullElse(ratio, 1.0));
    }
}
