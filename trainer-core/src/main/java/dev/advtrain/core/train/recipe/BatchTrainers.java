package dev.advtrain.core.train.recipe;

import dev.advtrain.core.config.AdversarialConfig;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.loss.MartLoss;
import dev.advtrain.core.train.loss.TradesAttack;
import dev.advtrain.core.train.loss.TradesLoss;

/** The {@link BatchTrainer} of each recipe. */
public final class BatchTrainers {

    private BatchTrainers() {
    }

    /** The recipe {@code config} names, training {@code model}. */
    public static BatchTrainer of(AdversarialConfig config, Trainable model) {
        AttackConfig attack = config.trainingAttack();
        return switch (config.recipe()) {
            case PGD_AT, FAST_AT, N_FGSM -> new InterleavedTraining(model, model.classifier(config.gradientMode()),
                    InterleavedBatches.of(config));
            case FREE -> new FreeTraining(model, config.replays(), attack.toStepSize());
            case TRADES -> new PairedTraining(model, model.classifier(config.gradientMode()),
                    (classifier, x, labels, eps, stepScale, seed) -> new TradesAttack().generate(classifier, x, eps,
                            attack.toStepSize().resolve(eps) * stepScale, attack.steps(), seed),
                    new TradesLoss(config.beta()));
            case MART -> new PairedTraining(model, model.classifier(config.gradientMode()), Perturbation.attack(attack),
                    new MartLoss(config.beta()));
        };
    }
}
