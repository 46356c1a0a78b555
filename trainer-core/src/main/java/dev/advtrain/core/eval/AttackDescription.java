package dev.advtrain.core.eval;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.Norm;
import dev.advtrain.attacks.StepSize;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An attack's hyperparameters as resolved, for reports: every public no-argument accessor of the
 * attack's class that returns a number, boolean, string, enum, {@link Norm}, {@link Loss} or
 * {@link StepSize} ({@code eps}, {@code norm}, {@code clip_min}, {@code steps}, ...). Reading the
 * built attack rather than the options that built it reports the defaults that were filled in, for
 * attacks added later too.
 */
public final class AttackDescription {

    private static final Set<String> SKIPPED = Set.of("name", "hashCode", "toString", "getClass");

    private AttackDescription() {
    }

    /**
     * The parameters by snake_case name, sorted. An infinite value is the string {@code "inf"}. A
     * step size {@code s} gives {@code s} (absolute, in input units, null when relative to an
     * unbounded eps) and, when relative to eps, {@code s_relative} (the factor).
     */
    public static Map<String, Object> parameters(Attack<?> attack) {
        Map<String, Object> out = new TreeMap<>();
        for (Method m : attack.getClass().getMethods()) {
            // Only accessors of value types are called: nothing that could do work or change state.
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || SKIPPED.contains(m.getName())
                    || !Attack.class.isAssignableFrom(m.getDeclaringClass()) || !reportable(m.getReturnType())) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(attack);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            put(out, snakeCase(m.getName()), value, attack.eps());
        }
        return out;
    }

    private static boolean reportable(Class<?> type) {
        return (type.isPrimitive() && type != void.class) || Number.class.isAssignableFrom(type) || type == Boolean.class
                || type == String.class || type.isEnum() || Norm.class.isAssignableFrom(type)
                || Loss.class.isAssignableFrom(type) || type == StepSize.class;
    }

    private static void put(Map<String, Object> out, String key, Object value, double eps) {
        if (value instanceof Double d && Double.isInfinite(d)) {
            out.put(key, d > 0 ? "inf" : "-inf");
        } else if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            out.put(key, value);
        } else if (value instanceof Enum<?> e) {
            out.put(key, e.name().toLowerCase(java.util.Locale.ROOT));
        } else if (value instanceof Norm norm) {
            out.put(key, norm.id());
        } else if (value instanceof Loss loss) {
            out.put(key, loss.id());
        } else if (value instanceof StepSize step) {
            out.put(key, step.relative() && Double.isInfinite(eps) ? null : step.resolve(eps));
            if (step.relative()) {
                out.put(key + "_relative", step.value());
            }
        }
    }

    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
