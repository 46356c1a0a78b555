package dev.advtrain.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How configuration enumerations are spelled in YAML: the constant's name in lower case with
 * {@code -} for {@code _} ({@code FGSM_RS} is {@code fgsm-rs}). Parsing ignores case and accepts
 * {@code _} for {@code -}.
 */
public final class ConfigEnums {

    private ConfigEnums() {}

    /** The YAML spelling of a constant. */
    public static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The allowed spellings, comma separated, for error messages. */
    public static String allowed(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigEnums::id).collect(Collectors.joining(", "));
    }

    /**
     * The constant spelled {@code text}.
     *
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (E value : type.getEnumConstants()) {
            if (id(value).equals(wanted)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown value '" + text + "' (allowed: " + allowed(type) + ")");
    }
}
