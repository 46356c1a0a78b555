package dev.advtrain.bench;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackCatalog;
import dev.advtrain.attacks.AttackParams;
import dev.advtrain.attacks.AttackResult;
import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Losses;
import dev.advtrain.attacks.model.Classifiers;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of iterative attacks against the gradient passes they are made of, on the default
 * {@code small-cnn} and MNIST-shaped batches: milliseconds per batch for one input-gradient pass
 * (the model's own loss, and an attack loss through the loss twin), one inference pass, and each
 * iterative attack from the catalogue at {@code steps} iterations (its defaults otherwise). An
 * attack's loop overhead is {@code attack / (passes x gradient pass) - 1}, with the passes per example
 * it prints at the end of its trial; docs/performance.md tabulates it. The pass benchmarks do not
 * depend on {@code attack}: run them with {@code -p attack=pgd}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class AttackLoopBenchmark {

    @Param({"128"})
    public int batch;

    @Param({"10"})
    public int steps;

    @Param({"pgd", "bim", "mi-fgsm", "apgd-ce", "apgd-dlr", "deepfool"})
    public String attack;

    private MultiLayerNetwork network;
    private DifferentiableClassifier classifier;
    private INDArray x;
    private INDArray y;
    private Criterion criterion;
    private Attack<? super DifferentiableClassifier> iterative;

    @Setup
    public void setUp() {
        network = BenchFixtures.defaultNetwork();
        classifier = Classifiers.of(network);
        x = BenchFixtures.randomImages(batch);
        y = BenchFixtures.cyclicLabels(batch);
        criterion = Criterion.untargeted(y);
        iterative = AttackCatalog.get(attack).create(AttackParams.of(0.1).withSteps(steps)
                .withRestarts(1).withSeed(1));
    }

    @Benchmark
    public INDArray gradientPass() {
        return classifier.lossGradient(x, y);
    }

    @Benchmark
    public INDArray lossGradientPass() {
        return classifier.gradient(x, Losses.crossEntropy(), y).input();
    }

    @Benchmark
    public INDArray inferencePass() {
        return network.output(x, false);
    }

    private double meanQueries;

    @Benchmark
    public INDArray attack() {
        AttackResult result = iterative.generate(classifier, x, criterion);
        meanQueries = result.meanQueries();
        return result.adversarial();
    }

    /** The gradient passes per example the attack made, to turn its time into a loop overhead. */
    @TearDown
    public void reportPasses() {
        if (meanQueries > 0) {
            System.out.printf("%n%s: %.2f gradient passes per example%n", attack, meanQueries);
        }
    }
}
