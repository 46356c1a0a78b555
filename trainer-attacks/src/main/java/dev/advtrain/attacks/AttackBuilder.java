package dev.advtrain.attacks;

/**
 * What every attack's builder sets alike: the name used in reports, the threat model (norm, eps,
 * valid input range) and the seed. Concrete builders start from their attack's defaults (listed in
 * its class comment) and add their own hyperparameters; the attack checks the values when built,
 * e.g. refusing a norm it does not support.
 *
 * @param <B> the concrete builder, which every setter returns
 */
public abstract class AttackBuilder<B extends AttackBuilder<B>> {

    protected String name;
    protected Norm norm;
    protected double eps;
    protected double clipMin = 0.0;
    protected double clipMax = 1.0;
    protected long seed = 0L;

    /** Starts from the attack's own defaults; the valid range defaults to [0, 1], the seed to 0. */
    protected AttackBuilder(String name, Norm norm, double eps) {
        this.name = name;
        this.norm = norm;
        this.eps = eps;
    }

    /** Name used in reports (default: the attack's, e.g. "pgd"). */
    public B name(String value) {
        this.name = value;
        return self();
    }

    /** Threat model norm (default: the attack's; an attack refuses one it does not support). */
    public B norm(Norm value) {
        this.norm = value;
        return self();
    }

    /** Perturbation budget under the norm (default: the attack's). */
    public B eps(double value) {
        this.eps = value;
        return self();
    }

    /** Valid input range (default [0, 1]). */
    public B clip(double min, double max) {
        this.clipMin = min;
        this.clipMax = max;
        return self();
    }

    /** Seed of every random choice the attack makes (default 0; an attack that draws none ignores it). */
    public B seed(long value) {
        this.seed = value;
        return self();
    }

    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }
}
