package dev.advtrain.core.config;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Training on a Spark cluster with DL4J's parameter averaging ({@code distributed:}); needs the
 * {@code trainer-spark} module on the classpath (the advtrain CLI has it). Every worker fits its
 * own replica on its minibatches, with the same recipe code as a local run, and the driver averages
 * the replicas every {@code averaging_frequency} minibatches. Only the interleaving recipes
 * ({@code pgd-at}, {@code fast-at}, {@code n-fgsm}) run on Spark.
 *
 * @param master the Spark master URL, e.g. {@code local[2]} or {@code spark://host:7077}; empty
 *     (the default) trains in this JVM. {@code advtrain train --spark MASTER} sets it
 * @param workers replicas trained in parallel; 0 (the default) = Spark's default parallelism (the
 *     N of {@code local[N]}, the cluster's cores); >= 0
 * @param averagingFrequency minibatches each worker fits between two averagings ({@code
 *     averaging_frequency}); >= 1; default 5
 * @param batchPerWorker examples in each worker's minibatch ({@code batch_per_worker}); 0 (the
 *     default) = {@code training.batch_size}; >= 0
 * @param storageLevel how Spark keeps the minibatches ({@code storage_level}): {@code
 *     memory-only-ser}, {@code memory-and-disk-ser} or {@code disk-only}; default {@code
 *     memory-only-ser}
 */
public record DistributedConfig(
        @JsonProperty("master") String master,
        @JsonProperty("workers") int workers,
        @JsonProperty("averaging_frequency") int averagingFrequency,
        @JsonProperty("batch_per_worker") int batchPerWorker,
        @JsonProperty("storage_level") RddStorage storageLevel) {

    public DistributedConfig {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(storageLevel, "storageLevel");
    }

    @JsonCreator
    static DistributedConfig fromYaml(
            @JsonProperty("master") String master,
            @JsonProperty("workers") Integer workers,
            @JsonProperty("averaging_frequency") Integer averagingFrequency,
            @JsonProperty("batch_per_worker") Integer batchPerWorker,
            @JsonProperty("storage_level") RddStorage storageLevel) {
        return new DistributedConfig(requireNonNullElse(master, ""), requireNonNullElse(workers, 0),
                requireNonNullElse(averagingFrequency, 5), requireNonNullElse(batchPerWorker, 0),
                requireNonNullElse(storageLevel, RddStorage.MEMORY_ONLY_SER));
    }

    /** Whether the run trains on Spark ({@code master} is set). */
    public boolean enabled() {
        return !master.isBlank();
    }

    /** The examples in each worker's minibatch: {@code batch_per_worker}, or the training batch size. */
    public int batchPerWorker(TrainingConfig training) {
        return batchPerWorker > 0 ? batchPerWorker : training.batchSize();
    }
}
