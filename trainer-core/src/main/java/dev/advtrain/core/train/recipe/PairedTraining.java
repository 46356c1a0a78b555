package dev.advtrain.core.train.recipe;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.core.train.Trainable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * TRADES and MART: a loss of each clean example and its adversarial version together. The batch
 * and its adversarial versions are stacked into one batch of 2N rows ({@code [x; x_adv]}, labels
 * {@code [y; y]}), and one optimiser step is taken with the recipe's loss in place of the output
 * layer's, so DL4J's own backward pass carries the gradient through both branches. The stacked
 * batch shares one forward pass, so batch normalization sees clean and adversarial examples
 * together.
 */
final class PairedTraining implements BatchTrainer {

    private final Trainable model;
    private final DifferentiableClassifier attacked;
    private final Perturbation perturbation;
    private final ILossFunction loss;

    PairedTraining(Trainable model, DifferentiableClassifier attacked, Perturbation perturbation, ILossFunction loss) {
        this.model = model;
        this.attacked = attacked;
        this.perturbation = perturbation;
        this.loss = loss;
    }

    @Override
    public double train(Batch batch, Sampler sampler) {
        INDArray x = batch.features();
        INDArray y = batch.labels();
        INDArray adversarial = perturbation.apply(attacked, x, y, batch.eps(), batch.stepScale(), batch.seed());
        sampler.sample(x, y, adversarial, y);
        try (Trainable.LossSwap ignored = model.useLoss(loss)) {
            return model.fit(Nd4j.concat(0, x, adversarial), Nd4j.concat(0, y, y));
        }
    }
}
