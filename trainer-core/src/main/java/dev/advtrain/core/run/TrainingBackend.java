package dev.advtrain.core.run;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.AdversarialConfig;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.train.AdversarialTrainer;
import dev.advtrain.core.train.EpochBatches;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingLoop;
import dev.advtrain.core.train.recipe.BatchTrainers;
import java.util.ServiceLoader;

/**
 * Where a run's epochs are trained: in this JVM ({@link AdversarialTrainer}), or on Spark when
 * {@code distributed.master} is set. The Spark backend lives in the {@code trainer-spark} module
 * and is found with {@link ServiceLoader} ({@link Distributed}), so the core needs none of Spark's
 * jars. A backend is opened before the model is built (the model's learning-rate schedule needs
 * {@link #updatesPerEpoch()}) and closed when training ends.
 */
public interface TrainingBackend extends AutoCloseable {

    /** Optimiser steps the model takes per epoch, for iteration-based learning-rate schedules. */
    int updatesPerEpoch();

    /** The loop that trains {@code model} on the training images as the config says. */
    TrainingLoop loop(Trainable model);

    /** Releases what the backend holds (a Spark context). */
    @Override
    default void close() {
    }

    /**
     * The backend {@code config} asks for.
     *
     * @throws UserErrorException when it asks for Spark and {@code trainer-spark} is not on the classpath
     */
    static TrainingBackend open(RunConfig config, LabeledImages train) {
        if (!config.distributed().enabled()) {
            return new Local(config, train);
        }
        for (Distributed provider : ServiceLoader.load(Distributed.class)) {
            return provider.open(config, train);
        }
        throw new UserErrorException("distributed.master is " + config.distributed().master() + ", but Spark training"
                + " (the trainer-spark module) is not on the classpath; use the advtrain CLI or leave distributed.master"
                + " empty to train in this JVM");
    }

    /** A backend that trains on a cluster; registered as a {@link ServiceLoader} service. */
    interface Distributed {
        /** Connects to {@code config.distributed().master()}. */
        TrainingBackend open(RunConfig config, LabeledImages train);
    }

    /** The single-JVM trainer on shuffled batches of {@code training.batch_size}. */
    final class Local implements TrainingBackend {
        private final RunConfig config;
        private final ImageDataSetIterator batches;

        Local(RunConfig config, LabeledImages train) {
            this.config = config;
            this.batches = EpochBatches.shuffled(train, config.training().batchSize(), config.seed());
        }

        @Override
        public int updatesPerEpoch() {
            return batches.batchesPerEpoch() * config.adversarial().updatesPerBatch();
        }

        @Override
        public TrainingLoop loop(Trainable model) {
            AdversarialConfig adversarial = config.adversarial();
            return new AdversarialTrainer(model, BatchTrainers.of(adversarial, model), batches, adversarial.eps(),
                    adversarial.epsWarmupEpochs(), config.seed());
        }
    }
}
