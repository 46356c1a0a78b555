package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Where results go ({@code output:}).
 *
 * @param runsDir directory holding one sub-directory per run, {@code <runs_dir>/<name>} ({@code
 *     runs_dir}); non-empty; default {@code runs}
 */
public record OutputConfig(@JsonProperty("runs_dir") String runsDir) {

    public OutputConfig {
        Objects.requireNonNull(runsDir, "runsDir");
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static OutputConfig fromYaml(@JsonProperty("runs_dir") String runsDir) {
        return new OutputConfig(requireNonNullElse(runsDir, "runs"));
    }
}
