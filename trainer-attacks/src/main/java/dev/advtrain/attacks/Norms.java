package dev.advtrain.attacks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The threat-model norms by id ({@code linf}, {@code l2}, ...), for configs and the command line. */
public final class Norms {

    private static final Map<String, Norm> BY_ID = new LinkedHashMap<>();

    static {
        for (Norm norm : new Norm[] {LinfNorm.INSTANCE, L2Norm.INSTANCE, L1Norm.INSTANCE, L0Norm.INSTANCE}) {
            BY_ID.put(norm.id(), norm);
        }
    }

    private Norms() {
    }

    /** The norm with this id; IllegalArgumentException listing the ids when there is none. */
    public static Norm of(String id) {
        Norm norm = BY_ID.get(id);
        if (norm == null) {
            throw new IllegalArgumentException("unknown norm '" + id + "'; known: " + String.join(", ", BY_ID.keySet()));
        }
        return norm;
    }
}
