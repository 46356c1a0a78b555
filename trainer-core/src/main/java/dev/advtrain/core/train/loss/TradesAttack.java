package dev.advtrain.core.train.loss;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.LinfNorm;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The inner attack of TRADES (Zhang et al. 2019): L-infinity, white-box, it moves the input away
 * from the model's own clean prediction p by ascending {@code KL(p || softmax(logits(x_adv)))}
 * ({@link KlDivergenceLoss}), not the cross-entropy to the label.
 *
 * <p>As in the official code: {@code x_adv = x + 0.001 * N(0, 1)}, then {@code steps} times
 * {@code x_adv += stepSize * sign(grad)}, projected onto the eps-ball around x and clipped to
 * [0, 1]. The start is projected and clipped too, so even zero steps give a valid example. The
 * official settings are eps 0.3, step size 0.01, 40 steps on MNIST and eps 0.031, step size 0.007,
 * 10 steps on CIFAR-10. Gradients are taken in the
 * classifier's own {@link dev.advtrain.attacks.model.GradientMode} (the official code attacks in
 * eval mode). Usage:
 * <pre>{@code
 * INDArray xAdv = new TradesAttack().generate(Classifiers.of(network), x, 0.3, 0.01, 40, seed);
 * }</pre>
 */
public final class TradesAttack {

    /** Standard deviation of the Gaussian start, as in the official code. */
    public static final double START_NOISE = 0.001;

    /**
     * The adversarial batch: a new array shaped like {@code x}; {@code x} and the model are left as
     * they were.
     *
     * @param classifier the model under attack
     * @param x clean inputs in [0, 1], shaped as the model takes them (e.g. [N, 784] or [N, 1, 28, 28])
     * @param eps L-infinity radius
     * @param stepSize the size of each signed-gradient step
     * @param steps number of steps (0 gives the noisy start)
     * @param seed seeds the Gaussian start, so equal seeds give equal batches
     */
    public INDArray generate(DifferentiableClassifier classifier, INDArray x, double eps, double stepSize, int steps,
            long seed) {
        check(x, eps, stepSize, steps);
        INDArray clean = classifier.predict(x).dup();
        INDArray adversarial = x.add(gaussian(x, seed).muli(START_NOISE));
        project(adversarial, x, eps);
        for (int step = 0; step < steps; step++) {
            INDArray gradient = classifier.gradient(adversarial, KlDivergenceLoss.INSTANCE, clean).input();
            adversarial.addi(LinfNorm.INSTANCE.stepDirection(gradient).castTo(x.dataType()).muli(stepSize));
            project(adversarial, x, eps);
        }
        return adversarial;
    }

    /** Onto the eps-ball around x, then into [0, 1], in place. */
    private static void project(INDArray adversarial, INDArray x, double eps) {
        INDArray delta = LinfNorm.INSTANCE.projectInPlace(adversarial.sub(x), eps);
        adversarial.assign(Transforms.min(Transforms.max(delta.addi(x), 0.0, false), 1.0, false));
    }

    private static INDArray gaussian(INDArray like, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[(int) like.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }

    private static void check(INDArray x, double eps, double stepSize, int steps) {
        if (!(eps >= 0) || !(stepSize >= 0) || steps < 0) {
            throw new IllegalArgumentException("TRADES attack needs eps >= 0, step size >= 0 and steps >= 0, got eps "
                    + eps + ", step size " + stepSize + ", steps " + steps);
        }
        if (x.isNaN().any() || x.minNumber().doubleValue() < 0 || x.maxNumber().doubleValue() > 1) {
            throw new IllegalArgumentException("TRADES attack needs inputs in [0, 1], got values in ["
                    + x.minNumber() + ", " + x.maxNumber() + "]");
        }
    }
}
