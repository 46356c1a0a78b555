package dev.advtrain.core.eval.suite;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackCatalog;
import dev.advtrain.attacks.AttackParams;
import dev.advtrain.attacks.DifferentiableClassifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * White-box or black-box, as an attack's type says: an {@code Attack<Classifier>} sees only the
 * model's outputs, an {@code Attack<DifferentiableClassifier>} may read its gradients.
 */
final class AttackKinds {

    private AttackKinds() {
    }

    /** Whether the catalogue's attack may read gradients. */
    static boolean whiteBox(String name) {
        AttackCatalog.Entry entry = AttackCatalog.get(name);
        String norm = entry.norms().contains("linf") ? "linf" : entry.norms().iterator().next();
        AttackParams probe = AttackParams.of(0.1).withNorm(dev.advtrain.attacks.Norms.of(norm));
        return whiteBox(entry.create(probe));
    }

    /** Whether the attack's model type is {@link DifferentiableClassifier}. */
    static boolean whiteBox(Attack<?> attack) {
        for (Class<?> c = attack.getClass(); c != null; c = c.getSuperclass()) {
            Type parent = c.getGenericSuperclass();
            if (parent instanceof ParameterizedType p && p.getRawType() == Attack.class) {
                return p.getActualTypeArguments()[0] == DifferentiableClassifier.class;
            }
        }
        return false;
    }
}
