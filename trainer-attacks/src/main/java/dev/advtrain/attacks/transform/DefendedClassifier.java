package dev.advtrain.attacks.transform;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.LossGradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model behind an input-transformation defence, as deployed and as a naive white-box attacker
 * differentiates it: {@code predict(x) = model(t(x))} with one fresh draw of {@code t} per call,
 * and the gradient that automatic differentiation of that pipeline gives, the model's gradient at
 * {@code t(x)} times the true Jacobian of the drawn {@code t} (its {@link InputTransform.Applied#backward}).
 *
 * <p>For quantisation that Jacobian is zero, so gradient attacks on this view find nothing (gradient
 * masking); for a random transform they follow single, noisy draws. Compare with
 * {@link ExpectationOverTransformation} and {@link BackwardPassDifferentiableApproximation}, the
 * adaptive attacks' views. It is exactly EOT with one sample.
 *
 * <pre>{@code
 * DifferentiableClassifier defended = new DefendedClassifier(Classifiers.of(net), new BitDepthReduction(3), 0);
 * double robust = 1 - pgd.generate(defended, x, Criterion.untargeted(y)).successRate();
 * }</pre>
 */
public final class DefendedClassifier implements DifferentiableClassifier {

    private final ExpectationOverTransformation oneDraw;

    /**
     * @param model the undefended model
     * @param transform the defence's input transformation
     * @param seed seed of the transformation's draws
     */
    public DefendedClassifier(DifferentiableClassifier model, InputTransform transform, long seed) {
        this.oneDraw = new ExpectationOverTransformation(model, transform, 1, seed);
    }

    @Override
    public INDArray predict(INDArray x) {
        return oneDraw.predict(x);
    }

    @Override
    public INDArray lossGradient(INDArray x, INDArray labels) {
        return oneDraw.lossGradient(x, labels);
    }

    @Override
    public LossGradient gradient(INDArray x, Loss loss, INDArray labels) {
        return oneDraw.gradient(x, loss, labels);
    }

    @Override
    public int numClasses() {
        return oneDraw.numClasses();
    }
}
