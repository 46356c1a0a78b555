package dev.advtrain.bench;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.ProjectedGradientDescent;
import dev.advtrain.attacks.model.Classifiers;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the building blocks of adversarial training for the default {@code small-cnn} on MNIST-
 * sized inputs: a training step ({@code fit}), an input gradient, inference, and one default
 * adversarial training step (FGSM-RS on 60% of the batch, then {@code fit}). Scores are batches per
 * second; multiply by {@code batch} for images per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class TrainingStepBenchmark {

    @Param({"128", "256"})
    public int batch;

    private MultiLayerNetwork network;
    private DifferentiableClassifier classifier;
    private INDArray x;
    private INDArray y;
    private DataSet data;
    private Attack<DifferentiableClassifier> fgsmRs;

    @Setup
    public void setUp() {
        network = BenchFixtures.defaultNetwork();
        classifier = Classifiers.of(network);
        x = BenchFixtures.randomImages(batch);
        y = BenchFixtures.cyclicLabels(batch);
        data = new DataSet(x, y);
        fgsmRs = ProjectedGradientDescent.fgsmRandomStart(0.15, 1.25, 1);
    }

    @Benchmark
    public double fit() {
        network.fit(data);
        return network.score();
    }

    @Benchmark
    public INDArray inputGradient() {
        return classifier.lossGradient(x, y);
    }

    @Benchmark
    public INDArray inference() {
        return network.output(x, false);
    }

    @Benchmark
    public double adversarialStep() {
        int k = (int) Math.round(0.6 * batch);
        INDArray head = x.get(NDArrayIndex.interval(0, k), NDArrayIndex.all());
        INDArray crafted = fgsmRs.generate(classifier, head,
                Criterion.untargeted(y.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()))).adversarial();
        INDArray features = x.dup();
        features.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).assign(crafted);
        network.fit(new DataSet(features, y));
        return network.score();
    }
}
