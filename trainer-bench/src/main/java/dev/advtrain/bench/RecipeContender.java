package dev.advtrain.bench;

import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.core.Seeds;
import dev.advtrain.core.config.AdversarialConfig;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.Recipe;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.Attacks;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.train.AdversarialTrainer;
import dev.advtrain.core.train.EpochBatches;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingListener;
import dev.advtrain.core.train.loss.TradesAttack;
import dev.advtrain.core.train.recipe.BatchTrainer;
import dev.advtrain.core.train.recipe.BatchTrainers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One recipe in {@link RecipeEpochCost}: its config, its network and trainer (built once, trained
 * on from round to round, as a run trains on from epoch to epoch), its attack on its own, and its
 * timings. The config is the defaults with the batch size, the recipe's keys and the user's
 * {@code --set} overrides; the network, data order and trainer are set up as {@code TrainingRun}
 * sets them up.
 */
final class RecipeContender {

    final RecipeVariant variant;
    final RunConfig config;
    final Trainable model;
    final int batchesPerEpoch;
    /** Seconds of each measured epoch. */
    final List<Double> seconds = new ArrayList<>();
    /** Each measured epoch over the mean of the clean epochs around it. */
    final List<Double> ratios = new ArrayList<>();
    /** The attack alone, scaled to the epoch, over the same clean epochs. */
    final List<Double> attackRatios = new ArrayList<>();
    private final AdversarialTrainer warmUpTrainer;
    private final AdversarialTrainer trainer;
    private final AttackAlone attack;
    private EpochRecord last;
    private int epoch;

    RecipeContender(RecipeVariant variant, LabeledImages images, int batch, int warmUpBatches, List<String> sets) {
        this.variant = variant;
        List<String> overrides = new ArrayList<>(List.of("training.batch_size=" + batch));
        overrides.addAll(variant.overrides());
        overrides.addAll(sets);
        config = ConfigLoader.load(null, overrides, Map.of());
        AdversarialConfig adversarial = config.adversarial();
        ImageDataSetIterator batches = EpochBatches.shuffled(images, batch, config.seed());
        batchesPerEpoch = batches.batchesPerEpoch();
        model = Trainable.of(ModelFactory.create(config.model(), config.training(),
                Seeds.derive(config.seed(), "init", 0), batchesPerEpoch * adversarial.updatesPerBatch()));
        // One batch trainer for both trainers: its twins and free training's perturbation are built in the warm-up.
        BatchTrainer recipe = BatchTrainers.of(adversarial, model);
        ImageDataSetIterator warmUpData = ImageDataSetIterator.builder(images).batchSize(batch)
                .limit(Math.min(images.size(), warmUpBatches * batch)).build();
        warmUpTrainer = new AdversarialTrainer(model, recipe, warmUpData, adversarial.eps(),
                adversarial.epsWarmupEpochs(), config.seed());
        trainer = new AdversarialTrainer(model, recipe, batches, adversarial.eps(), adversarial.epsWarmupEpochs(),
                config.seed());
        trainer.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(Trainable trained, EpochRecord record) {
                last = record;
            }
        });
        attack = variant.clean() || adversarial.recipe() == Recipe.FREE ? null : AttackAlone.of(adversarial, model);
    }

    /** Trains the next epoch (a short one in the warm-up) and returns its seconds. */
    double train(boolean warmUp) {
        epoch++;
        long started = System.nanoTime();
        (warmUp ? warmUpTrainer : trainer).fit(epoch, epoch);
        double elapsed = (System.nanoTime() - started) / 1e9;
        if (!warmUp) {
            seconds.add(elapsed);
        }
        return elapsed;
    }

    /**
     * Seconds the recipe's attack alone would take on {@code images} images, against the current
     * weights, from its time on {@code batches}; NaN for clean and free training (whose attack rides
     * on the update's own backward pass) or without batches.
     */
    double attackAlone(List<DataSet> batches, int images) {
        if (attack == null || batches.isEmpty()) {
            return Double.NaN;
        }
        long rows = 0;
        long started = System.nanoTime();
        for (DataSet batch : batches) {
            attack.generate(batch.getFeatures(), batch.getLabels(), Seeds.derive(config.seed(), "breakdown", rows));
            rows += batch.numExamples();
        }
        return (System.nanoTime() - started) / 1e9 / rows * images;
    }

    /** The last measured epoch's training metrics, or null before the first. */
    EpochRecord lastEpoch() {
        return last;
    }

    /** A recipe's training attack on its own, built from the config as {@link BatchTrainers} builds it. */
    @FunctionalInterface
    private interface AttackAlone {
        INDArray generate(INDArray x, INDArray labels, long seed);

        /** TRADES' KL attack; the configured attack for the others (FGSM-RS for n-fgsm: one gradient pass too). */
        static AttackAlone of(AdversarialConfig adversarial, Trainable model) {
            DifferentiableClassifier classifier = model.classifier(adversarial.gradientMode());
            AttackConfig attack = adversarial.trainingAttack();
            double eps = adversarial.eps();
            if (adversarial.recipe() == Recipe.TRADES) {
                TradesAttack trades = new TradesAttack();
                double step = attack.toStepSize().resolve(eps);
                return (x, labels, seed) -> trades.generate(classifier, x, eps, step, attack.steps(), seed);
            }
            return (x, labels, seed) -> Attacks.create(attack, eps, seed).generate(classifier, x,
                    Criterion.untargeted(labels)).adversarial();
        }
    }
}
