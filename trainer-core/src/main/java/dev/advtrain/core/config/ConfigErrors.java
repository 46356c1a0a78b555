package dev.advtrain.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Turns Jackson's exceptions into one-line messages that name the key path. */
final class ConfigErrors {

    /**
     * What went wrong, without the source prefix.
     *
     * @param key the key path involved, {@code a.b[0].c}, or empty when unknown
     * @param message one line, starting with the key path where there is one
     */
    record Failure(String key, String message) {}

    private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

    private ConfigErrors() {}

    /** A binding error: unknown key, wrong type, unknown enumeration value. */
    static Failure binding(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m)) {
            return new Failure("", firstLine(e.getOriginalMessage()));
        }
        String key = path(m.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            return new Failure(key, "unknown key '" + key + "' (known: " + known(u) + ")");
        }
        String where = key.isEmpty() ? "" : key + ": ";
        Throwable root = rootCause(e);
        if (root instanceof IllegalArgumentException) { // from ConfigEnums or a record factory
            return new Failure(key, where + root.getMessage());
        }
        if (e instanceof InvalidFormatException f) {
            return new Failure(key, where + "expected " + expected(f.getTargetType()) + ", got '" + f.getValue() + "'");
        }
        if (e instanceof MismatchedInputException mi) {
            return new Failure(key, where + "expected " + expected(mi.getTargetType()) + got(mi.getProcessor()));
        }
        return new Failure(key, where + firstLine(m.getOriginalMessage()));
    }

    /**
     * A YAML syntax error as "malformed YAML at line L, column C: problem". SnakeYAML's message is
     * "context, mark, problem, mark" with indented source excerpts; the last unindented line is the
     * problem and the last mark is where it is.
     */
    static String syntax(JsonProcessingException e) {
        String text = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        List<String> statements = text.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .toList();
        String problem = statements.isEmpty() ? "invalid YAML" : statements.get(statements.size() - 1).strip();
        if (problem.startsWith("Duplicate field ")) {
            problem = "duplicate key " + problem.substring("Duplicate field ".length());
        }
        String where = "";
        Matcher mark = MARK.matcher(text);
        while (mark.find()) {
            where = " at line " + mark.group(1) + ", column " + mark.group(2);
        }
        JsonLocation at = e.getLocation();
        if (where.isEmpty() && at != null && at.getLineNr() > 0) {
            where = " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        }
        return "malformed YAML" + where + ": " + problem;
    }

    /** A Jackson path as {@code a.b[0].c}. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different value";
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        } else if (type == double.class || type == Double.class) {
            return "a number";
        } else if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        } else if (type == String.class) {
            return "a text value";
        } else if (type.isEnum()) {
            return "one of " + ConfigEnums.allowed((Class<? extends Enum<?>>) type);
        } else if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a section of 'key: value' lines";
    }

    /** ", got X" for the value the parser stopped at, or nothing when that is unknown. */
    private static String got(Object processor) {
        if (!(processor instanceof JsonParser p) || p.currentToken() == null) {
            return "";
        }
        try {
            JsonToken token = p.currentToken();
            return switch (token) {
                case START_OBJECT -> ", got a section";
                case START_ARRAY -> ", got a list";
                case VALUE_STRING -> ", got '" + p.getText() + "'";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE, VALUE_NULL ->
                        ", got " + p.getText();
                default -> "";
            };
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The keys of the section, in declaration (= documentation) order. */
    private static String known(UnrecognizedPropertyException u) {
        Class<?> section = u.getReferringClass();
        if (section != null && section.isRecord()) {
            return Arrays.stream(section.getRecordComponents())
                    .map(c -> c.getAccessor().getAnnotation(JsonProperty.class))
                    .filter(Objects::nonNull)
                    .map(JsonProperty::value)
                    .collect(Collectors.joining(", "));
        }
        return u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "invalid value";
        }
        return s.strip().lines().findFirst().orElse(s).strip();
    }
}
