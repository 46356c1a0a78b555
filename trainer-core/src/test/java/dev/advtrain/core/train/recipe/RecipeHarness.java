package dev.advtrain.core.train.recipe;

import dev.advtrain.core.Progress;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.testing.LearnableMnist;
import dev.advtrain.core.train.AdversarialTrainer;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains small models on the learnable band task with any recipe, straight through the trainer (no
 * run directory), and measures them: the shared set-up of the recipe and guard tests.
 */
public final class RecipeHarness {

    static final LabeledImages TRAIN = LearnableMnist.images(500, 1);
    static final LabeledImages TEST = LearnableMnist.images(200, 2);
    /** The attack every recipe is judged by: PGD-10 at eps 0.15 from a random start. */
    static final AttackConfig JUDGE = config().validation();

    private RecipeHarness() {
    }

    /** A config of 2 epochs of the MLP on batches of 50, training eps 0.15, with {@code overrides}. */
    public static RunConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("model.arch=mlp", "training.epochs=2", "training.batch_size=50",
                "training.learning_rate=0.003", "adversarial.eps=0.15", "adversarial.eps_warmup_epochs=0.5",
                "validation.eps=0.15", "validation.steps=10", "validation.rel_step_size=0.25"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all, Map.of()).validate();
    }

    /** A freshly initialised model trained as {@code config} says, with {@code listeners}. */
    static Trainable train(RunConfig config, TrainingListener... listeners) {
        AdversarialTrainer trainer = trainer(config);
        for (TrainingListener listener : listeners) {
            trainer.addListener(listener);
        }
        trainer.fit(1, config.training().epochs());
        return trainer.model();
    }

    /** The trainer of a freshly initialised model on the training images, as {@code config} says; not started. */
    public static AdversarialTrainer trainer(RunConfig config) {
        ImageDataSetIterator batches = ImageDataSetIterator.builder(TRAIN).batchSize(config.training().batchSize())
                .shuffle(7).build();
        Trainable model = Trainable.of(ModelFactory.create(config.model(), config.training(), config.seed(),
                batches.batchesPerEpoch() * config.adversarial().updatesPerBatch()));
        return new AdversarialTrainer(model, BatchTrainers.of(config.adversarial(), model), batches,
                config.adversarial().eps(), config.adversarial().epsWarmupEpochs(), config.seed());
    }

    /** Robust accuracy on the test images under {@link #JUDGE}. */
    public static double robustAccuracy(Trainable model) {
        return new RobustnessEvaluator(model.model(), Progress.none()).attack(JUDGE, TEST, 3).robustAccuracy();
    }

    /** Clean accuracy on the test images. */
    static double cleanAccuracy(Trainable model) {
        return new RobustnessEvaluator(model.model(), Progress.none()).attack(JUDGE, TEST, 3).cleanAccuracy();
    }
}
