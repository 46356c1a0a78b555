package dev.advtrain.core.report;

import java.util.HashSet;
import java.util.List;

/**
 * How the grids, CSV files, charts and HTML pages name a class: by the model's class name (e.g.
 * {@code cat}) when the model carries one distinct name per class of the data, else by its label
 * number (e.g. {@code 3}). The one place a label becomes the text people read.
 *
 * <p>Usage: {@code ClassNames names = ClassNames.of(ModelFiles.classNames(file), test.numClasses());}
 * then {@code names.name(label)}.
 */
public final class ClassNames {

    /** Every class by its label number. */
    public static final ClassNames NUMBERED = new ClassNames(List.of());

    private final List<String> names;

    private ClassNames(List<String> names) {
        this.names = List.copyOf(names);
    }

    /**
     * The names, when there are exactly {@code classes} of them and no two are the same (blank
     * names do not count); otherwise {@link #NUMBERED}.
     */
    public static ClassNames of(List<String> names, int classes) {
        if (names == null || names.size() != classes || names.stream().anyMatch(n -> n == null || n.isBlank())
                || new HashSet<>(names).size() != names.size()) {
            return NUMBERED;
        }
        return new ClassNames(names);
    }

    /** Whether classes are shown by name rather than by number. */
    public boolean named() {
        return !names.isEmpty();
    }

    /** The text shown for {@code label}: its name, or the number itself when there is no name for it. */
    public String name(int label) {
        return label >= 0 && label < names.size() ? names.get(label) : Integer.toString(label);
    }

    @Override
    public String toString() {
        return named() ? names.toString() : "numbered";
    }
}
