package dev.advtrain.attacks;

/**
 * Hyperparameters for building an attack by name (see {@link AttackCatalog}): the threat model is
 * always given; everything else is optional ({@code null}) and falls back to the attack's own
 * default. The command line and evaluation suites fill one of these.
 *
 * @param eps perturbation budget ({@code +Infinity} lets minimal-perturbation attacks run unbounded)
 * @param norm threat model norm
 * @param steps iterations, or null for the attack's default
 * @param stepSize step size, or null for the attack's default
 * @param restarts random restarts, or null for the attack's default
 * @param loss loss to ascend, or null for the attack's default
 * @param queries query budget per example for black-box attacks, or null for the default
 * @param seed seed of every random choice the attack makes
 * @param clipMin lower end of the valid input range
 * @param clipMax upper end of the valid input range
 */
public record AttackParams(double eps, Norm norm, Integer steps, StepSize stepSize, Integer restarts, Loss loss,
        Integer queries, long seed, double clipMin, double clipMax) {

    /** Budget {@code eps} under L-inf, inputs in [0, 1], seed 0, all else the attack's default. */
    public static AttackParams of(double eps) {
        return new AttackParams(eps, LinfNorm.INSTANCE, null, null, null, null, null, 0L, 0.0, 1.0);
    }

    public AttackParams withNorm(Norm value) {
        return new AttackParams(eps, value, steps, stepSize, restarts, loss, queries, seed, clipMin, clipMax);
    }

    public AttackParams withSteps(Integer value) {
        return new AttackParams(eps, norm, value, stepSize, restarts, loss, queries, seed, clipMin, clipMax);
    }

    public AttackParams withStepSize(StepSize value) {
        return new AttackParams(eps, norm, steps, value, restarts, loss, queries, seed, clipMin, clipMax);
    }

    public AttackParams withRestarts(Integer value) {
        return new AttackParams(eps, norm, steps, stepSize, value, loss, queries, seed, clipMin, clipMax);
    }

    public AttackParams withLoss(Loss value) {
        return new AttackParams(eps, norm, steps, stepSize, restarts, value, queries, seed, clipMin, clipMax);
    }

    public AttackParams withQueries(Integer value) {
        return new AttackParams(eps, norm, steps, stepSize, restarts, loss, value, seed, clipMin, clipMax);
    }

    public AttackParams withSeed(long value) {
        return new AttackParams(eps, norm, steps, stepSize, restarts, loss, queries, value, clipMin, clipMax);
    }

    public AttackParams withClip(double min, double max) {
        return new AttackParams(eps, norm, steps, stepSize, restarts, loss, queries, seed, min, max);
    }

    /** Steps, or {@code fallback} when not given. */
    public int stepsOr(int fallback) {
        return steps != null ? steps : fallback;
    }

    /** Step size, or {@code fallback} when not given. */
    public StepSize stepSizeOr(StepSize fallback) {
        return stepSize != null ? stepSize : fallback;
    }

    /** Restarts, or {@code fallback} when not given. */
    public int restartsOr(int fallback) {
        return restarts != null ? restarts : fallback;
    }

    /** Loss, or {@code fallback} when not given. */
    public Loss lossOr(Loss fallback) {
        return loss != null ? loss : fallback;
    }

    /** Query budget, or {@code fallback} when not given. */
    public int queriesOr(int fallback) {
        return queries != null ? queries : fallback;
    }
}
