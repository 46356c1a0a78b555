package dev.advtrain.attacks;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Transfer attack (Papernot, McDaniel and Goodfellow, "Transferability in machine learning", 2016;
 * Szegedy et al. 2014): crafts adversarial examples with a white-box attack on a surrogate model the
 * attacker owns, and hands them to the target model, which it never queries.
 *
 * <p>Black box toward the target (zero queries, reported as such in the result); the threat model
 * (norm, eps, valid range) is the inner attack's, and so are its parameters, seed and criterion. The
 * result's predictions and success are the target's: how well the examples transfer.
 *
 * <pre>{@code
 * Attack<Classifier> transfer = new TransferAttack(Classifiers.of(surrogateNet), pgd);
 * double rate = transfer.generate(Classifiers.of(targetNet), x, Criterion.untargeted(y)).successRate();
 * }</pre>
 */
public final class TransferAttack extends Attack<Classifier> {

    private final DifferentiableClassifier surrogate;
    private final Attack<? super DifferentiableClassifier> inner;

    /**
     * @param surrogate the model the examples are crafted on
     * @param inner the attack run on the surrogate (e.g. {@link ProjectedGradientDescent})
     */
    public TransferAttack(DifferentiableClassifier surrogate, Attack<? super DifferentiableClassifier> inner) {
        super("transfer-" + inner.name(), inner.norm(), inner.eps(), inner.clipMin(), inner.clipMax());
        this.surrogate = Objects.requireNonNull(surrogate, "surrogate");
        this.inner = inner;
    }

    @Override
    protected INDArray perturb(Classifier target, INDArray x, Criterion criterion, QueryCounter queries) {
        return inner.generate(surrogate, x, criterion).adversarial();
    }

    /** The attack run on the surrogate. */
    public Attack<? super DifferentiableClassifier> inner() {
        return inner;
    }

    /** The model the examples are crafted on. */
    public DifferentiableClassifier surrogate() {
        return surrogate;
    }
}
