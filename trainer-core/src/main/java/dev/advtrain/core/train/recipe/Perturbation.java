package dev.advtrain.core.train.recipe;

import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.LinfNorm;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.eval.Attacks;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Makes the adversarial examples of the interleaving recipes from clean ones. */
@FunctionalInterface
interface Perturbation {

    /**
     * @param stepScale the factor the configured step is multiplied by
     * @return adversarial versions of {@code x} (a new array), in [0, 1]
     */
    INDArray apply(DifferentiableClassifier model, INDArray x, INDArray labels, double eps, double stepScale,
            long seed);

    /** A gradient attack of the library (FGSM, FGSM-RS, PGD) as configured. */
    static Perturbation attack(AttackConfig config) {
        return (model, x, labels, eps, stepScale, seed) -> Attacks.create(config.withStepScaled(stepScale), eps, seed)
                .generate(model, x, Criterion.untargeted(labels)).adversarial();
    }

    /**
     * N-FGSM (de Jorge et al. 2022): {@code x0 = clip(x + U(-noise eps, noise eps))}, then
     * {@code clip(x0 + step sign(grad L(x0)))}, with no projection back to the eps-ball, so the
     * example may lie up to {@code (noise + step / eps) eps} from {@code x}.
     *
     * @param noise the noise's half-width as a multiple of eps
     */
    static Perturbation noisyFgsm(AttackConfig config, double noise) {
        return (model, x, labels, eps, stepScale, seed) -> {
            INDArray start = x.add(LinfNorm.INSTANCE.randomStart(x, noise * eps, new SplittableRandom(seed)));
            clip01(start);
            INDArray gradient = model.lossGradient(start, labels);
            double step = config.toStepSize().resolve(eps) * stepScale;
            return clip01(start.addi(Transforms.sign(gradient, false).muli(step)));
        };
    }

    /** Clips {@code x} to the pixel range [0, 1], in place, and returns it. */
    static INDArray clip01(INDArray x) {
        return Transforms.min(Transforms.max(x, 0.0, false), 1.0, false);
    }
}
