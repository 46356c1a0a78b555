package dev.advtrain.attacks.transform;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.LossGradient;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Backward pass differentiable approximation, BPDA (Athalye, Carlini and Wagner, "Obfuscated
 * Gradients Give a False Sense of Security", ICML 2018): a model behind a non-differentiable (or
 * gradient-masking) transform {@code g}, differentiated as if {@code g} were a smooth
 * approximation {@code h ~ g}.
 *
 * <p>The forward pass is the real defence, {@code predict(x) = model(g(x))}; the backward pass
 * takes the model's gradient at {@code g(x)} and carries it back through {@code h}'s
 * vector-Jacobian product at x instead of {@code g}'s. The default {@code h} is the identity, the
 * right choice when {@code g(x) ~ x} (quantisation, denoising, JPEG): the gradient at g(x) is used
 * as the gradient at x. Logits of {@link #gradient} are those at {@code g(x)}.
 *
 * <p>{@code g} is meant to be deterministic; a random one gets one draw per call from the seeded
 * generator. For a random defence, wrap this in {@link ExpectationOverTransformation}.
 *
 * <pre>{@code
 * DifferentiableClassifier bpda = new BackwardPassDifferentiableApproximation(Classifiers.of(net), new BitDepthReduction(3));
 * INDArray adv = pgd.generate(bpda, x, Criterion.untargeted(y)).adversarial();
 * }</pre>
 */
public final class BackwardPassDifferentiableApproximation implements DifferentiableClassifier {

    private final DifferentiableClassifier model;
    private final InputTransform transform;
    private final InputTransform approximation;
    private final SplittableRandom rng;

    /** BPDA with the identity as the approximation of {@code transform}. */
    public BackwardPassDifferentiableApproximation(DifferentiableClassifier model, InputTransform transform) {
        this(model, transform, InputTransform.identity(), 0L);
    }

    /**
     * @param model the undefended model
     * @param transform the defence's transform g, applied in the forward pass
     * @param approximation a differentiable h ~ g whose backward is used in g's place
     * @param seed seed of any random draw of g or h
     */
    public BackwardPassDifferentiableApproximation(DifferentiableClassifier model, InputTransform transform,
            InputTransform approximation, long seed) {
        this.model = model;
        this.transform = transform;
        this.approximation = approximation;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public INDArray predict(INDArray x) {
        return model.predict(transform.apply(x, rng).output());
    }

    @Override
    public INDArray lossGradient(INDArray x, INDArray labels) {
        INDArray atTransformed = model.lossGradient(transform.apply(x, rng).output(), labels);
        return approximation.apply(x, rng).backward(atTransformed);
    }

    @Override
    public LossGradient gradient(INDArray x, Loss loss, INDArray labels) {
        LossGradient atTransformed = model.gradient(transform.apply(x, rng).output(), loss, labels);
        return new LossGradient(approximation.apply(x, rng).backward(atTransformed.input()), atTransformed.logits());
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }
}
