package dev.advtrain.core.train.recipe;

import dev.advtrain.attacks.LinfNorm;
import dev.advtrain.attacks.StepSize;
import dev.advtrain.core.train.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Free adversarial training (Shafahi et al. 2019): each batch is replayed {@code replays} times on
 * {@code clip(x + delta)}. Each replay is one forward and one backward pass that yields both the
 * weights' gradient (the update) and the input gradient, which steps the perturbation:
 * {@code delta = clip_eps(delta + step sign(grad_x))}. The perturbation is carried over from batch
 * to batch, as in the paper, so robust training costs about one clean pass per replay. (It lives
 * in memory only: a resumed run starts it again from zero.)
 */
final class FreeTraining implements BatchTrainer {

    private final Trainable model;
    private final int replays;
    private final StepSize step;
    private INDArray delta;

    FreeTraining(Trainable model, int replays, StepSize step) {
        this.model = model;
        this.replays = replays;
        this.step = step;
    }

    @Override
    public double train(Batch batch, Sampler sampler) {
        INDArray x = batch.features();
        INDArray y = batch.labels();
        double eps = batch.eps();
        INDArray perturbation = LinfNorm.INSTANCE.projectInPlace(perturbationFor(x), eps);
        double stepSize = step.resolve(eps) * batch.stepScale();
        double loss = 0;
        for (int replay = 0; replay < replays; replay++) {
            INDArray adversarial = Perturbation.clip01(x.add(perturbation));
            if (replay == 0) {
                sampler.sample(x, y, adversarial, y);
            }
            Trainable.StepWithInputGradient pass = model.fitWithInputGradient(adversarial, y);
            loss += pass.loss();
            LinfNorm.INSTANCE.projectInPlace(perturbation.addi(Transforms.sign(pass.inputGradient(), false).muli(stepSize)),
                    eps);
        }
        return loss / replays;
    }

    /** The carried-over perturbation's first rows, as many as the batch has (zeros where it grows). */
    private INDArray perturbationFor(INDArray x) {
        int n = (int) x.size(0);
        if (delta == null || delta.size(0) < n) {
            INDArray grown = x.like().assign(0);
            if (delta != null) {
                InterleavedBatches.rows(grown, 0, (int) delta.size(0)).assign(delta);
            }
            delta = grown;
        }
        return InterleavedBatches.rows(delta, 0, n);
    }
}
