package dev.advtrain.attacks;

/**
 * The builder of a white-box attack that follows the gradient of a chosen {@link Loss} of the
 * logits: {@link AttackBuilder}'s settings and the loss.
 *
 * @param <B> the concrete builder, which every setter returns
 */
public abstract class GradientAttackBuilder<B extends GradientAttackBuilder<B>> extends AttackBuilder<B> {

    protected Loss loss;

    /** Starts from the attack's own defaults, {@code loss} included (null where the attack reads it as the model's own). */
    protected GradientAttackBuilder(String name, Norm norm, double eps, Loss loss) {
        super(name, norm, eps);
        this.loss = loss;
    }

    /** The loss whose gradient the attack follows (default: the attack's, see its class comment). */
    public B loss(Loss value) {
        this.loss = value;
        return self();
    }
}
