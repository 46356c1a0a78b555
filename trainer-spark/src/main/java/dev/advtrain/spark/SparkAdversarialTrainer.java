package dev.advtrain.spark;

import dev.advtrain.core.config.DistributedConfig;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.EpsilonSchedule;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingDivergedException;
import dev.advtrain.core.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;

/**
 * The epoch loop of a run on Spark, on the driver: each epoch's minibatches ({@link
 * EpochMinibatches}) become an RDD that DL4J's {@link ParameterAveragingTrainingMaster} trains,
 * every worker making its minibatches adversarial with its own replica ({@link AdversarialHook})
 * and the driver averaging parameters and updater state every {@code averaging_frequency}
 * minibatches. The driver's network (the {@link Trainable} the run's listeners see) holds the
 * averaged weights after every round, so validation, guards and checkpoints run on the driver after
 * each epoch, as in a local run.
 *
 * <p>Epoch metrics: {@code train_loss} is the mean loss of the epoch's last averaging round as DL4J
 * reports it; {@code rounds} the averaging rounds. The sampled {@code clean_*}/{@code adv_*}
 * metrics of the local trainer are not measured on Spark, and no per-batch events are sent.
 */
final class SparkAdversarialTrainer extends TrainingLoop {

    private final RunConfig config;
    private final EpochMinibatches minibatches;
    private final int workers;
    private final ToDoubleFunction<List<DataSet>> fit;

    /** @param workers replicas trained in parallel (resolved: never 0) */
    SparkAdversarialTrainer(JavaSparkContext spark, RunConfig config, EpochMinibatches minibatches, int workers,
            Trainable model) {
        super(model, config.adversarial().eps(), config.adversarial().epsWarmupEpochs());
        this.config = config;
        this.minibatches = minibatches;
        this.workers = workers;
        DistributedConfig d = config.distributed();
        int batchSize = d.batchPerWorker(config.training());
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, batchSize)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(d.averagingFrequency())
                .workerPrefetchNumBatches(0)
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .saveUpdater(true)
                .rddTrainingApproach(org.deeplearning4j.spark.api.RDDTrainingApproach.Direct)
                .storageLevel(SparkTraining.storageLevel(d.storageLevel()))
                .rngSeed(config.seed())
                .trainingHooks(new AdversarialHook(config.toYaml()))
                .build();
        this.fit = sparkFit(spark, model, master, workers);
    }

    /** Fits one epoch's minibatches on the cluster and returns the last round's score. */
    private static ToDoubleFunction<List<DataSet>> sparkFit(JavaSparkContext spark, Trainable model,
            ParameterAveragingTrainingMaster master, int partitions) {
        if (model.model() instanceof MultiLayerNetwork network) {
            SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(spark, network, master);
            return batches -> {
                net.fit(spark.parallelize(batches, partitions));
                return net.getScore();
            };
        }
        SparkComputationGraph graph = new SparkComputationGraph(spark, (ComputationGraph) model.model(), master);
        return batches -> {
            List<org.nd4j.linalg.dataset.api.MultiDataSet> multi = new ArrayList<>(batches.size());
            for (DataSet ds : batches) {
                MultiDataSet m = new MultiDataSet(ds.getFeatures(), ds.getLabels());
                m.setExampleMetaData(ds.getExampleMetaData());
                multi.add(m);
            }
            graph.fitMultiDataSet(spark.parallelize(multi, partitions));
            return graph.getScore();
        };
    }

    /**
     * Optimiser steps per epoch as the driver's iteration counter counts them: DL4J adds {@code
     * averaging_frequency} per round.
     */
    static int updatesPerEpoch(int batchesPerEpoch, int workers, int averagingFrequency) {
        int perRound = workers * averagingFrequency;
        return Math.max(1, (batchesPerEpoch + perRound - 1) / perRound) * averagingFrequency;
    }

    @Override
    protected int batchesPerEpoch() {
        return minibatches.batchesPerEpoch();
    }

    @Override
    protected EpochRecord trainEpoch(int epoch, int batchesPerEpoch, EpsilonSchedule schedule) {
        long started = System.nanoTime();
        Trainable model = model();
        model.setEpochCount(epoch - 1);
        long iterationsBefore = model.iterationCount();
        double loss = fit.applyAsDouble(minibatches.epoch(epoch, schedule, stepScale()));
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(epoch, batchesPerEpoch - 1, loss);
        }
        double learningRate = model.learningRate();
        model.setEpochCount(epoch);
        int averagingFrequency = config.distributed().averagingFrequency();
        return new EpochRecord(epoch)
                .put("iterations", model.iterationCount())
                .put("eps", schedule.at((long) epoch * batchesPerEpoch - 1))
                .put("learning_rate", learningRate)
                .put("train_loss", loss)
                .put("rounds", (model.iterationCount() - iterationsBefore) / (double) averagingFrequency)
                .put("workers", workers)
                .put("seconds", (System.nanoTime() - started) / 1e9);
    }
}
