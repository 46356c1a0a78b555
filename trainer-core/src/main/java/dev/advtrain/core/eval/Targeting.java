package dev.advtrain.core.eval;

/**
 * Which class, if any, an attack drives each example towards.
 *
 * <p>{@link #untargeted()}: any class but the true one. {@link #toClass(int)}: one class for every
 * example. {@link #nextClass()}: the class after the true one, {@code (y + 1) mod C}. With a fixed
 * class, examples whose true class is the target have nothing to reach; they are attacked like the
 * rest but left out of success rates ({@link #counts(int, int)}).
 */
public sealed interface Targeting permits Targeting.Untargeted, Targeting.FixedClass, Targeting.NextClass {

    /** Any class but the true one. */
    static Targeting untargeted() {
        return new Untargeted();
    }

    /** The same target class for every example. */
    static Targeting toClass(int target) {
        return new FixedClass(target);
    }

    /** The class after the true one, {@code (y + 1) mod C}. */
    static Targeting nextClass() {
        return new NextClass();
    }

    /** The target of an example of class {@code label}, or -1 when untargeted. */
    int target(int label, int numClasses);

    /** Whether an example of class {@code label} counts towards success rates. */
    default boolean counts(int label, int numClasses) {
        return target(label, numClasses) != label;
    }

    /** Whether there is a target class. */
    default boolean isTargeted() {
        return !(this instanceof Untargeted);
    }

    /** Checks the targeting against the model's number of classes. */
    default void checkClasses(int numClasses) {
    }

    /** Short description for reports: {@code untargeted}, {@code class 3}, {@code next class}. */
    String describe();

    /** Any class but the true one. */
    record Untargeted() implements Targeting {
        @Override
        public int target(int label, int numClasses) {
            return -1;
        }

        @Override
        public String describe() {
            return "untargeted";
        }
    }

    /** One target class for every example. */
    record FixedClass(int target) implements Targeting {
        @Override
        public int target(int label, int numClasses) {
            return target;
        }

        @Override
        public void checkClasses(int numClasses) {
            if (target < 0 || target >= numClasses) {
                throw new IllegalArgumentException("target class " + target + " is outside 0.." + (numClasses - 1));
            }
        }

        @Override
        public String describe() {
            return "class " + target;
        }
    }

    /** The class after the true one. */
    record NextClass() implements Targeting {
        @Override
        public int target(int label, int numClasses) {
            return (label + 1) % numClasses;
        }

        @Override
        public String describe() {
            return "next class";
        }
    }
}
