package dev.advtrain.spark;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.DistributedConfig;
import dev.advtrain.core.config.RddStorage;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.run.TrainingBackend;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingLoop;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark backend of a training run, found by {@link TrainingBackend#open} through {@link
 * java.util.ServiceLoader} when {@code distributed.master} is set: it starts a Spark context on that
 * master for the run's training and stops it afterwards. A {@code local[...]} master binds the
 * driver to the loopback address and no port is opened for Spark's web UI.
 */
public final class SparkTraining implements TrainingBackend.Distributed {

    private static final Logger LOG = LoggerFactory.getLogger(SparkTraining.class);
    /** The JVM flag Spark needs on Java 17 (with Java serialisation). */
    static final String JAVA_17_FLAG = "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    /** For {@link java.util.ServiceLoader}. */
    public SparkTraining() {
    }

    @Override
    public TrainingBackend open(RunConfig config, LabeledImages train) {
        DistributedConfig d = config.distributed();
        JavaSparkContext spark = start(config);
        int workers = d.workers() > 0 ? d.workers() : spark.defaultParallelism();
        EpochMinibatches minibatches = new EpochMinibatches(train, d.batchPerWorker(config.training()), config.seed());
        LOG.info("Spark {}: {} workers, {} minibatches of {} per epoch, averaging every {}", d.master(), workers,
                minibatches.batchesPerEpoch(), d.batchPerWorker(config.training()), d.averagingFrequency());
        return new TrainingBackend() {
            @Override
            public int updatesPerEpoch() {
                return SparkAdversarialTrainer.updatesPerEpoch(minibatches.batchesPerEpoch(), workers,
                        d.averagingFrequency());
            }

            @Override
            public TrainingLoop loop(Trainable model) {
                return new SparkAdversarialTrainer(spark, config, minibatches, workers, model);
            }

            @Override
            public void close() {
                spark.stop();
            }
        };
    }

    /** A Spark context on the config's master. */
    static JavaSparkContext start(RunConfig config) {
        String master = config.distributed().master();
        SparkConf conf = new SparkConf()
                .setAppName("advtrain " + config.name())
                .setMaster(master)
                .setIfMissing("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        try {
            return new JavaSparkContext(conf);
        } catch (IllegalAccessError | IllegalStateException | ExceptionInInitializerError e) {
            if (String.valueOf(e.getMessage()).contains("sun.nio.ch") || e instanceof IllegalAccessError) {
                throw new UserErrorException("Spark cannot start on Java " + Runtime.version().feature()
                        + " without the JVM flag " + JAVA_17_FLAG + " (the advtrain launcher sets it; see docs/distributed.md)", e);
            }
            throw e;
        }
    }

    /** Spark's storage level of a config's. */
    static StorageLevel storageLevel(RddStorage level) {
        return switch (level) {
            case MEMORY_ONLY_SER -> StorageLevel.MEMORY_ONLY_SER();
            case MEMORY_AND_DISK_SER -> StorageLevel.MEMORY_AND_DISK_SER();
            case DISK_ONLY -> StorageLevel.DISK_ONLY();
        };
    }
}
