package dev.advtrain.attacks.transform;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Loss;
import dev.advtrain.attacks.LossGradient;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Expectation over transformation (Athalye, Engstrom, Ilyas and Kwok, "Synthesizing Robust
 * Adversarial Examples", ICML 2018): a model behind a random input transformation, seen as the
 * expectation over the transformation's draws, so that gradient attacks optimise what holds in
 * expectation rather than for one draw.
 *
 * <p>Every call draws {@code samples} fresh transforms {@code t_1..t_n} (sample s of a call is
 * {@code transform.apply(x, rng)}, in order, from one generator seeded once) and answers:
 * <ul>
 *   <li>{@link #predict}: the mean of the model's probabilities {@code (1/n) sum_s p(t_s(x))};</li>
 *   <li>{@link #lossGradient} and {@link #gradient}: the mean over samples of the gradient at
 *       {@code t_s(x)} carried back through that draw's vector-Jacobian product,
 *       {@code (1/n) sum_s J_{t_s}(x)^T grad L(t_s(x))}, the gradient of the expected loss;</li>
 *   <li>the logits of {@link #gradient}: the mean of the logits over the samples (a summary for
 *       attacks that read them, e.g. to check success; not the logits of any one draw).</li>
 * </ul>
 * Each sample is its own forward and backward pass over the batch, so memory stays that of one
 * batch and per-row losses (e.g. targeted DLR) see the batch they expect.
 *
 * <p>Any attack taking a {@link DifferentiableClassifier} then attacks the randomised defence:
 * <pre>{@code
 * DifferentiableClassifier eot = new ExpectationOverTransformation(Classifiers.of(net), new GaussianNoise(0.25), 10, 7);
 * INDArray adv = pgd.generate(eot, x, Criterion.untargeted(y)).adversarial();
 * }</pre>
 * Defaults: 10 samples. Deterministic given the seed and the sequence of calls.
 */
public final class ExpectationOverTransformation implements DifferentiableClassifier {

    /** Samples per call unless given. */
    public static final int DEFAULT_SAMPLES = 10;

    private final DifferentiableClassifier model;
    private final InputTransform transform;
    private final int samples;
    private final SplittableRandom rng;

    /** {@link #DEFAULT_SAMPLES} samples per call. */
    public ExpectationOverTransformation(DifferentiableClassifier model, InputTransform transform, long seed) {
        this(model, transform, DEFAULT_SAMPLES, seed);
    }

    /**
     * @param model the undefended model
     * @param transform the random transformation applied before it
     * @param samples transforms drawn per call, >= 1
     * @param seed seed of every draw
     */
    public ExpectationOverTransformation(DifferentiableClassifier model, InputTransform transform, int samples, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        }
        this.model = model;
        this.transform = transform;
        this.samples = samples;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public INDArray predict(INDArray x) {
        INDArray sum = null;
        for (int s = 0; s < samples; s++) {
            INDArray p = model.predict(transform.apply(x, rng).output());
            sum = sum == null ? p.dup() : sum.addi(p);
        }
        return sum.divi(samples);
    }

    @Override
    public INDArray lossGradient(INDArray x, INDArray labels) {
        INDArray sum = null;
        for (int s = 0; s < samples; s++) {
            InputTransform.Applied draw = transform.apply(x, rng);
            INDArray g = draw.backward(model.lossGradient(draw.output(), labels));
            sum = sum == null ? g.dup() : sum.addi(g);
        }
        return sum.divi(samples);
    }

    @Override
    public LossGradient gradient(INDArray x, Loss loss, INDArray labels) {
        INDArray input = null;
        INDArray logits = null;
        for (int s = 0; s < samples; s++) {
            InputTransform.Applied draw = transform.apply(x, rng);
            LossGradient g = model.gradient(draw.output(), loss, labels);
            INDArray back = draw.backward(g.input());
            input = input == null ? back.dup() : input.addi(back);
            logits = logits == null ? g.logits().dup() : logits.addi(g.logits());
        }
        return new LossGradient(input.divi(samples), logits.divi(samples));
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    /** Transforms drawn per call. */
    public int samples() {
        return samples;
    }
}
