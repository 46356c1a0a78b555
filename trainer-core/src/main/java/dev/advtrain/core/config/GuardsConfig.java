package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Guards against the ways adversarial training fails ({@code guards:}). Divergence (a loss that is
 * not finite) always stops the run; the best-robust checkpoint {@code model-best.zip} is always kept
 * when there is validation.
 *
 * @param collapse the catastrophic-overfitting guard
 * @param earlyStopping stop after this many epochs without a better validation robust accuracy
 *     ({@code early_stopping}); 0 = never; >= 0; default 0
 */
public record GuardsConfig(
        @JsonProperty("collapse") Collapse collapse,
        @JsonProperty("early_stopping") int earlyStopping) {

    public GuardsConfig {
        Objects.requireNonNull(collapse, "collapse");
    }

    @JsonCreator
    static GuardsConfig fromYaml(
            @JsonProperty("collapse") Collapse collapse,
            @JsonProperty("early_stopping") Integer earlyStopping) {
        return new GuardsConfig(collapse != null ? collapse : Collapse.fromYaml(null, null, null, null, null, null),
                requireNonNullElse(earlyStopping, 0));
    }

    /**
     * The catastrophic-overfitting guard ({@code guards.collapse:}): robust accuracy is checked with
     * the {@code validation} attack; a check more than {@code drop} below the best check so far is a
     * collapse.
     *
     * @param action {@code off}, {@code stop}, {@code rollback} or {@code lower-step}; default
     *     {@code lower-step}
     * @param every iterations between checks; 0 = after each epoch, on the epoch's validation robust
     *     accuracy (no extra cost); >= 0; default 0
     * @param images {@code every > 0}: images each check attacks (the first validation images, or the
     *     first training images without validation); >= 1; default 256
     * @param drop a collapse: robust accuracy more than this below the best check so far; in (0, 1];
     *     default 0.2
     * @param stepFactor {@code lower-step}: the training attack's step size is multiplied by this at
     *     each collapse ({@code step_factor}); in (0, 1); default 0.75
     * @param maxCollapses after this many collapses the run stops at the last good weights ({@code
     *     max_collapses}); >= 1; default 3
     */
    public record Collapse(
            @JsonProperty("action") CollapseAction action,
            @JsonProperty("every") int every,
            @JsonProperty("images") int images,
            @JsonProperty("drop") double drop,
            @JsonProperty("step_factor") double stepFactor,
            @JsonProperty("max_collapses") int maxCollapses) {

        public Collapse {
            Objects.requireNonNull(action, "action");
        }

        @JsonCreator
        static Collapse fromYaml(
                @JsonProperty("action") CollapseAction action,
                @JsonProperty("every") Integer every,
                @JsonProperty("images") Integer images,
                @JsonProperty("drop") Double drop,
                @JsonProperty("step_factor") Double stepFactor,
                @JsonProperty("max_collapses") Integer maxCollapses) {
            return new Collapse(requireNonNullElse(action, CollapseAction.LOWER_STEP), requireNonNullElse(every, 0),
                    requireNonNullElse(images, 256), requireNonNullElse(drop, 0.2),
                    requireNonNullElse(stepFactor, 0.75), requireNonNullElse(maxCollapses, 3));
        }
    }
}
