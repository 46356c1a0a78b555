package dev.advtrain.bench;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackCatalog;
import dev.advtrain.attacks.AttackParams;
import dev.advtrain.attacks.AttackResult;
import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Losses;
import dev.advtrain.attacks.model.Classifiers;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How much an iterative attack costs beyond the gradient passes it is made of: for each attack,
 * rounds of one attack run and then as many bare gradient passes (the same kind the attack makes,
 * on the same full batch), interleaved so that drift on a shared machine hits both alike; the
 * overhead is the ratio of the medians, minus one.
 *
 * <p>The default {@code small-cnn} on a batch of MNIST-shaped inputs, labelled with the model's own
 * predictions and attacked at eps 0.001, so no example succeeds and every attack runs all its
 * iterations on the whole batch. Run with {@code bench/run-overhead [rounds] [attack...]}.
 */
public final class AttackOverhead {

    private static final int BATCH = 128;
    private static final int STEPS = 10;

    private AttackOverhead() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> attacks = args.length > 1 ? Arrays.asList(args).subList(1, args.length)
                : List.of("pgd", "bim", "mi-fgsm", "apgd-ce", "apgd-dlr");
        MultiLayerNetwork network = BenchFixtures.defaultNetwork();
        DifferentiableClassifier model = Classifiers.of(network);
        INDArray x = BenchFixtures.randomImages(BATCH);
        INDArray y = BenchFixtures.oneHot(Nd4j.argMax(network.output(x, false), 1).toIntVector());
        Criterion criterion = Criterion.untargeted(y);
        System.out.printf("small-cnn, batch %d, %d iterations, %d rounds; times are medians%n", BATCH, STEPS, rounds);
        System.out.printf("%-10s %8s %12s %14s %10s%n", "attack", "passes", "attack ms", "passes ms", "overhead");
        for (String name : attacks) {
            Attack<? super DifferentiableClassifier> attack = AttackCatalog.get(name)
                    .create(AttackParams.of(0.001).withSteps(STEPS).withRestarts(1).withSeed(1));
            boolean ownLoss = name.equals("pgd") || name.equals("bim") || name.equals("mi-fgsm");
            AttackResult warm = attack.generate(model, x, criterion);
            int passes = (int) Math.round(warm.meanQueries());
            if (warm.successRate() > 0) {
                System.out.printf("%s: %.3f of the batch succeeded; the comparison assumes none does%n", name, warm.successRate());
            }
            double[] attackMs = new double[rounds];
            double[] passesMs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                attack.generate(model, x, criterion);
                long t1 = System.nanoTime();
                for (int p = 0; p < passes; p++) {
                    if (ownLoss) {
                        model.lossGradient(x, y);
                    } else {
                        model.gradient(x, Losses.crossEntropy(), y);
                    }
                }
                long t2 = System.nanoTime();
                attackMs[r] = (t1 - t0) / 1e6;
                passesMs[r] = (t2 - t1) / 1e6;
            }
            double a = BenchFixtures.median(attackMs);
            double p = BenchFixtures.median(passesMs);
            System.out.printf("%-10s %8d %12.1f %14.1f %+9.1f%%%n", name, passes, a, p, (a / p - 1) * 100);
        }
    }
}
