package dev.advtrain.attacks.transform;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A transformation of a model's input batch, possibly random, as a defence applies it before the
 * model: {@code t(x)}, with the vector-Jacobian product of the very transform that was drawn.
 *
 * <p>Random transforms draw what they need for each example from the {@link SplittableRandom}
 * they are given (and nothing else), so a seeded caller gets the same draws every time;
 * deterministic ones ignore it. The backward function of a piecewise-constant transform such as
 * quantisation is its exact derivative almost everywhere, zero: the gradient masking that BPDA
 * exists to get around. A transform without any known derivative throws
 * UnsupportedOperationException from {@link Applied#backward}.
 */
public interface InputTransform {

    /**
     * Applies the transform to a batch.
     *
     * @param x inputs, shaped as the model takes them; not modified
     * @param rng the source of every random draw (per example); unused by deterministic transforms
     * @return the transformed batch (shaped like {@code x}) and the backward function of this draw
     */
    Applied apply(INDArray x, SplittableRandom rng);

    /** The identity: output is the input itself, backward passes the gradient through unchanged. */
    static InputTransform identity() {
        return new InputTransform() {
            @Override
            public Applied apply(INDArray x, SplittableRandom rng) {
                return new Applied(x, g -> g);
            }

            @Override
            public String toString() {
                return "identity";
            }
        };
    }

    /**
     * One application of a transform.
     *
     * @param output {@code t(x)}, shaped like x
     * @param adjoint maps d loss / d t(x) to d loss / d x for the drawn transform (its VJP)
     */
    record Applied(INDArray output, UnaryOperator<INDArray> adjoint) {

        /** The vector-Jacobian product: d loss / d x from d loss / d output. */
        public INDArray backward(INDArray outputGradient) {
            return adjoint.apply(outputGradient);
        }
    }
}
