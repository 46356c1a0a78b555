package dev.advtrain.core.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How the evaluation report writes numbers, the same in every locale ({@link Locale#ROOT}): NaN
 * (nothing measured) is an en dash, never {@code NaN} or zero.
 */
final class ReportNumbers {

    /** What a NaN shows as. */
    static final String MISSING = "\u2013";

    private ReportNumbers() {
    }

    /** An accuracy in [0, 1] with three decimals: {@code 0.872}. */
    static String accuracy(double value) {
        return fixed(value, 3);
    }

    /** A fraction as a percentage with one decimal: {@code 87.2%}. */
    static String percent(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f%%", 100 * value) : special(value);
    }

    /** A fixed number of decimals: {@code fixed(12.345, 1)} is {@code 12.3}. */
    static String fixed(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : special(value);
    }

    /** At most four significant digits and no trailing zeros: {@code 0.3}, {@code 0.03137}, {@code 8}. */
    static String compact(double value) {
        if (!Double.isFinite(value)) {
            return special(value);
        }
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String special(double value) {
        return Double.isNaN(value) ? MISSING : value > 0 ? "inf" : "-inf";
    }
}
