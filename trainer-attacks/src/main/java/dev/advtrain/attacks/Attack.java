package dev.advtrain.attacks;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Base of every attack: a fixed threat model (norm, eps, valid input range) and one final entry
 * point that guards the invariants.
 *
 * <p>{@link #generate} checks that the inputs are finite and inside the valid range, runs the
 * attack, then projects the result into the eps-ball around the input and into the valid range and
 * rejects NaN. Whatever a subclass does, the caller gets an adversarial batch that respects the
 * threat model. Leaving the model unchanged is the {@link Classifier} adapters' contract.
 *
 * @param <M> the capability the attack needs: {@link Classifier} (outputs only) or
 *     {@link DifferentiableClassifier} (gradients too)
 */
public abstract class Attack<M extends Classifier> {

    private final String name;
    protected final Norm norm;
    protected final double eps;
    protected final double clipMin;
    protected final double clipMax;

    protected Attack(String name, Norm norm, double eps, double clipMin, double clipMax) {
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, got " + eps);
        }
        if (!(clipMin < clipMax)) {
            throw new IllegalArgumentException("clip range must have min < max, got [" + clipMin + ", " + clipMax + "]");
        }
        this.name = name;
        this.norm = norm;
        this.eps = eps;
        this.clipMin = clipMin;
        this.clipMax = clipMax;
    }

    /** The name, norm, eps and valid range a builder holds. */
    protected Attack(AttackBuilder<?> b) {
        this(b.name, b.norm, b.eps, b.clipMin, b.clipMax);
    }

    /**
     * Crafts adversarial examples for a batch.
     *
     * @param model the attacked model
     * @param x clean inputs inside [clipMin, clipMax]; not modified
     * @param criterion what counts as success (and the labels it uses)
     * @return the adversarial batch, within eps of {@code x} and inside the valid range
     */
    public final AttackResult generate(M model, INDArray x, Criterion criterion) {
        if (criterion.size() != x.size(0)) {
            throw new IllegalArgumentException(
                    "criterion has " + criterion.size() + " labels for a batch of " + x.size(0));
        }
        checkInputRange(x);
        QueryCounter queries = new QueryCounter(x.size(0));
        INDArray candidate = eps == 0 ? x.dup() : perturb(model, x, criterion, queries);
        if (!Arrays.equals(candidate.shape(), x.shape())) {
            throw new IllegalStateException(name + " returned shape " + Arrays.toString(candidate.shape())
                    + " for inputs of shape " + Arrays.toString(x.shape()));
        }
        INDArray adversarial = constrain(x, candidate.castTo(x.dataType()));
        if (adversarial.isNaN().any() || adversarial.isInfinite().any()) {
            throw new IllegalStateException(name + " produced NaN or infinite values");
        }
        return new AttackResult(x, adversarial, criterion, model, norm, queries.perExample());
    }

    /**
     * Produces a candidate adversarial batch; {@link #generate} enforces the constraints afterwards.
     *
     * @param queries where the attack counts the model evaluations it spends on each example
     */
    protected abstract INDArray perturb(M model, INDArray x, Criterion criterion, QueryCounter queries);

    /** {@code x + delta}, with delta projected into the eps-ball and the sum clipped to the valid range. */
    protected final INDArray constrain(INDArray x, INDArray candidate) {
        INDArray delta = norm.projectInPlace(candidate.sub(x), eps);
        return clipToRangeInPlace(delta.addi(x));
    }

    /** Refuses a norm whose id is not one of {@code ids}, in a message that names the {@code attack}. */
    protected final void requireNorm(String attack, String... ids) {
        if (!Arrays.asList(ids).contains(norm.id())) {
            throw new IllegalArgumentException(attack + " supports " + String.join(" and ", ids) + ", not " + norm.id());
        }
    }

    /** Clips values into [clipMin, clipMax] in place. */
    protected final INDArray clipToRangeInPlace(INDArray values) {
        return Transforms.min(Transforms.max(values, clipMin, false), clipMax, false);
    }

    private void checkInputRange(INDArray x) {
        if (x.isNaN().any() || x.isInfinite().any()) {
            throw new IllegalArgumentException("inputs contain NaN or infinite values");
        }
        double min = x.minNumber().doubleValue();
        double max = x.maxNumber().doubleValue();
        if (min < clipMin || max > clipMax) {
            throw new IllegalArgumentException(String.format(
                    "inputs lie in [%s, %s], outside the attack's valid range [%s, %s]", min, max, clipMin, clipMax));
        }
    }

    /** Short name used in reports, e.g. {@code "pgd"}. */
    public final String name() {
        return name;
    }

    /** The valid input range's lower end. */
    public final double clipMin() {
        return clipMin;
    }

    /** The valid input range's upper end. */
    public final double clipMax() {
        return clipMax;
    }

    /** The threat model's norm. */
    public final Norm norm() {
        return norm;
    }

    /** The perturbation budget ({@code +Infinity} for an unbounded minimal-perturbation attack). */
    public final double eps() {
        return eps;
    }

    /** A copy of {@code x} as the attack's working precision: gradients need a real floating type. */
    protected static INDArray workingCopy(INDArray x) {
        return x.dataType().isFPType() ? x.dup() : x.castTo(Nd4j.defaultFloatingPointType());
    }
}
