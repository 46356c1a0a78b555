package dev.advtrain.bench;

import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.data.MnistData;
import dev.advtrain.core.data.MnistFile;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.train.AdversarialTrainer;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.recipe.BatchTrainers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 5's speed benchmark: what one training epoch costs with each recipe, as a multiple of a
 * clean epoch on the same network and data, against the targets (FGSM-AT at most 2.2x,
 * PGD-k AT at most 1.1 (k+1)x, free AT with m replays at most 1.1 m x).
 *
 * <p>Every epoch is trained the way users train: {@link AdversarialTrainer} over the recipe's
 * {@link BatchTrainers} batch trainer, adversarial examples crafted against the current weights,
 * with the trainer's metric samples (no run directory, no validation or checkpoint listeners). Each
 * recipe has its own network (the same initial weights for all), built once and trained on from
 * round to round, so an epoch is the steady state of a run: no network, twin or workspace is built
 * inside a timing, free training's perturbation carries over as it does in a run, and what an epoch
 * costs does not depend on the weights (no training attack stops early).
 *
 * <p>A warm-up round of short epochs comes first; then, in each round, the recipes in turn (their
 * order rotated from round to round), with a clean epoch before the first and after each, so that
 * each recipe epoch is divided by the mean of the two clean epochs around it: drift on a shared
 * machine hits both alike. Reported are medians over the rounds. Per recipe, the attack is also
 * timed alone (as the batch trainer builds it, against the current weights, on a few batches,
 * scaled to the epoch), and the passes it is made of are timed on their own, to tell the attack,
 * the update and the trainer's own work apart.
 *
 * <p>Run with {@code bench/run-recipes [--images N] [--rounds R] [--batch B] [--recipes a,b,...]
 * [--data DIR] [--warmup-batches N] [--breakdown-batches N] [--set key=value]...}.
 */
public final class RecipeEpochCost {

    private static final Logger LOG = LoggerFactory.getLogger(RecipeEpochCost.class);

    private final Options options;
    private final LabeledImages images;
    private final String dataDescription;
    private final RecipeContender clean;
    private final List<RecipeContender> recipes = new ArrayList<>();
    private final List<DataSet> breakdownBatches;
    private final PassCosts passes;

    private RecipeEpochCost(Options options) {
        this.options = options;
        Path dir = options.data();
        if (MnistFile.missingIn(dir).isEmpty()) {
            LabeledImages train = MnistData.load(dir, false).train();
            images = train.first(Math.min(options.images(), train.size()));
            dataDescription = images.size() + " MNIST training images (" + dir + ")";
        } else {
            images = randomImages(options.images());
            dataDescription = images.size() + " generated images of uniform random pixels (no MNIST in " + dir + ")";
        }
        clean = contender(RecipeVariant.parse("clean"));
        for (String name : options.recipes()) {
            RecipeVariant variant = RecipeVariant.parse(name);
            if (!variant.clean()) {
                recipes.add(contender(variant));
            }
        }
        breakdownBatches = firstBatches(images, options.batch(), options.breakdownBatches());
        passes = new PassCosts(clean.config, breakdownBatches.isEmpty() ? firstBatches(images, options.batch(), 1).get(0)
                : breakdownBatches.get(0));
    }

    private RecipeContender contender(RecipeVariant variant) {
        return new RecipeContender(variant, images, options.batch(), options.warmupBatches(), options.sets());
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("run-recipes: " + e.getMessage());
            System.exit(2);
            return;
        }
        RecipeEpochCost benchmark = new RecipeEpochCost(options);
        benchmark.run();
        benchmark.print(System.out);
    }

    private void run() {
        for (int round = 0; round <= options.rounds(); round++) {
            boolean warmUp = round == 0;
            List<RecipeContender> order = new ArrayList<>(recipes);
            Collections.rotate(order, -round);
            double before = clean.train(warmUp);
            for (RecipeContender recipe : order) {
                double seconds = recipe.train(warmUp);
                // In the warm-up on one batch: it builds the attack's twins outside the timings.
                double attack = recipe.attackAlone(warmUp ? breakdownBatches.subList(0, Math.min(1,
                        breakdownBatches.size())) : breakdownBatches, images.size());
                double after = clean.train(warmUp);
                if (!warmUp) {
                    double cleanSeconds = (before + after) / 2;
                    recipe.ratios.add(seconds / cleanSeconds);
                    recipe.attackRatios.add(attack / cleanSeconds);
                }
                LOG.info("round {}/{}: {} {} s, clean {} s", round, options.rounds(), recipe.variant.name(),
                        String.format("%.1f", seconds), String.format("%.1f", after));
                before = after;
            }
            passes.measure(!warmUp);
        }
    }

    private void print(PrintStream out) {
        RecipeContender any = recipes.isEmpty() ? clean : recipes.get(0);
        out.printf("%s, %d parameters; %s; batch %d, %d batches per epoch; eps %s%n", clean.config.model().arch(),
                clean.model.numParams(), dataDescription, options.batch(), clean.batchesPerEpoch,
                any.config.adversarial().eps());
        out.printf("%d rounds after a warm-up round of %d-batch epochs; one network per recipe, trained on across "
                + "rounds; ND4J threads %d (OMP_NUM_THREADS %s), %d processors%n%n", options.rounds(),
                options.warmupBatches(), Nd4j.getEnvironment().maxThreads(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), Runtime.getRuntime().availableProcessors());
        out.printf("%-9s %8s %6s %13s %6s %7s %-11s %6s %6s %8s%n", "recipe", "s/epoch", "ratio", "range", "passes",
                "target", "verdict", "attack", "rest", "adv acc");
        double fit = passes.fit();
        double gradient = passes.gradient();
        double fitWithGradient = passes.fitWithGradient();
        double sample = passes.sample();
        out.printf("%-9s %8.1f %6.2f %13s %6.2f %7s %-11s %6s %6s %8s%n", "clean", median(clean.seconds), 1.0, "", 1.0,
                "", "", "", "", accuracy(clean.lastEpoch(), "clean_acc"));
        for (RecipeContender recipe : recipes) {
            RecipeVariant v = recipe.variant;
            double ratio = median(recipe.ratios);
            double attack = median(recipe.attackRatios);
            String verdict = ratio <= v.target() ? "PASS" : "over";
            out.printf("%-9s %8.1f %6.2f %13s %6.2f %7s %-11s %6s %6s %8s%n", v.name(), median(recipe.seconds), ratio,
                    String.format("(%.2f-%.2f)", Collections.min(recipe.ratios), Collections.max(recipe.ratios)),
                    v.passesRatio(fit, gradient, fitWithGradient, sample),
                    v.binding() ? String.format("%.2f", v.target()) : String.format("(%.2f)", v.target()),
                    v.binding() ? verdict : "ref: " + verdict, Double.isNaN(attack) ? "-" : String.format("%.2f", attack),
                    Double.isNaN(attack) ? "-" : String.format("%.2f", ratio - attack),
                    accuracy(recipe.lastEpoch(), "adv_acc"));
        }
        out.printf("%nms per batch of %d (median of %d): fit %.0f, fit with input gradient (free's replay) %.0f, input "
                + "gradient %.0f (%.2f fits), inference on the %d-row metric sample %.0f (%.2f fits)%n", options.batch(),
                passes.count(), fit, fitWithGradient, gradient, gradient / fit, PassCosts.SAMPLE_ROWS, sample, sample / fit);
        out.printf("""
                ratio:   the recipe's epoch over the mean of the clean epochs just before and after it, median over \
                rounds (range: min-max)
                passes:  the ratio the recipe's passes alone would give (fits, input gradients, metric samples, \
                timed above)
                target:  issue 5's (fast-at and n-fgsm 2.2, pgd-k 1.1(k+1), free-m 1.1m); in parentheses the \
                PGD-AT target of the same k, a reference for trades and mart
                attack:  the recipe's attack alone (n-fgsm: FGSM-RS, the same single gradient pass) on %d batches per \
                round against the current weights, scaled to the epoch, in clean epochs; rest = ratio - attack: the \
                update and the trainer's own work (copies, metric samples)
                adv acc: training accuracy on the sampled adversarial examples in the last epoch (clean: on clean ones)
                Timings on a shared machine are noisy: compare ratios, rerun with more rounds for numbers to keep, and \
                where other jobs hold the cores, run with OMP_NUM_THREADS=1 (docs/performance.md).
                """, breakdownBatches.size());
    }

    private static String accuracy(EpochRecord record, String key) {
        double value = record == null ? Double.NaN : record.get(key);
        return Double.isNaN(value) ? "-" : String.format("%.3f", value);
    }

    static double median(List<Double> values) {
        return BenchFixtures.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** {@code count} MNIST-shaped images of uniform random pixels (seed 1), labels cycling through the classes. */
    private static LabeledImages randomImages(int count) {
        byte[] pixels = new byte[count * ModelFactory.HEIGHT * ModelFactory.WIDTH];
        new SplittableRandom(1).nextBytes(pixels);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % ModelFactory.CLASSES;
        }
        return LabeledImages.fromUnsignedBytes(pixels, labels, 1, ModelFactory.HEIGHT, ModelFactory.WIDTH,
                ModelFactory.CLASSES);
    }

    /** Up to {@code count} full batches from the start of the images, in order. */
    private static List<DataSet> firstBatches(LabeledImages images, int batch, int count) {
        ImageDataSetIterator iterator = ImageDataSetIterator.builder(images).batchSize(batch)
                .limit(Math.max(batch, Math.min(images.size(), count * batch))).build();
        List<DataSet> batches = new ArrayList<>();
        while (iterator.hasNext() && batches.size() < count) {
            batches.add(iterator.next());
        }
        return batches;
    }

    /** The command line: {@code --images N --rounds R --batch B --recipes a,b --data DIR --set key=value ...}. */
    record Options(int images, int rounds, int batch, List<String> recipes, Path data, int warmupBatches,
            int breakdownBatches, List<String> sets) {

        static Options parse(String[] args) {
            int images = 2048;
            int rounds = 3;
            int batch = 128;
            List<String> recipes = RecipeVariant.ALL;
            Path data = Path.of(MnistData.DEFAULT_DIR);
            int warmupBatches = 3;
            int breakdownBatches = 4;
            List<String> sets = new ArrayList<>();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--images" -> images = Integer.parseInt(value);
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--batch" -> batch = Integer.parseInt(value);
                    case "--recipes" -> recipes = List.of(value.split(","));
                    case "--data" -> data = Path.of(value);
                    case "--warmup-batches" -> warmupBatches = Integer.parseInt(value);
                    case "--breakdown-batches" -> breakdownBatches = Integer.parseInt(value);
                    case "--set" -> sets.add(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --images, "
                            + "--rounds, --batch, --recipes, --data, --warmup-batches, --breakdown-batches, --set");
                }
            }
            recipes.forEach(RecipeVariant::parse); // an unknown name fails here, before any work
            if (images < batch || rounds < 1 || warmupBatches < 1 || breakdownBatches < 0) {
                throw new IllegalArgumentException("need --images >= --batch, --rounds >= 1, --warmup-batches >= 1 "
                        + "and --breakdown-batches >= 0");
            }
            return new Options(images, rounds, batch, recipes, data, warmupBatches, breakdownBatches, List.copyOf(sets));
        }
    }
}
