package dev.advtrain.spark;

import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.run.TrainingBackend;
import dev.advtrain.core.testing.LearnableMnist;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingListener;
import dev.advtrain.core.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test (skipped unless {@code -Dadvtrain.bench=true}): the cost of an epoch of fast
 * AT on the same minibatches in one JVM and on Spark, and from it the overhead per averaging round.
 * On {@code local[1]} with one worker Spark fits exactly the minibatches the single-JVM trainer
 * fits, one after the other, so the difference is Spark's own cost (tasks, broadcasting and
 * averaging parameters and updater state, serialising the minibatches). {@code local[2]} shows what
 * two workers buy on two cores. Run:
 *
 * <pre>
 * OMP_NUM_THREADS=1 mvn -o test -pl trainer-spark -am -Dtest=SparkOverheadBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dadvtrain.bench=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "advtrain.bench", matches = "true")
class SparkOverheadBenchmark {

    private static final LabeledImages TRAIN = LearnableMnist.images(2000, 1);
    private static final int EPOCHS = 4;

    /** Median seconds of epochs 2.. and the rounds of an epoch, for a config. */
    private static double[] epochCost(String... sets) {
        List<String> all = new ArrayList<>(List.of("model.arch=mlp", "training.batch_size=50", "adversarial.recipe=fast-at",
                "adversarial.eps=0.15", "adversarial.mixing.policy=mix"));
        all.addAll(List.of(sets));
        RunConfig config = ConfigLoader.load(null, all, Map.of()).validate();
        List<Double> seconds = new ArrayList<>();
        double[] rounds = {Double.NaN};
        try (TrainingBackend backend = TrainingBackend.open(config, TRAIN)) {
            Trainable model = Trainable.of(ModelFactory.create(config.model(), config.training(), config.seed(),
                    backend.updatesPerEpoch()));
            TrainingLoop loop = backend.loop(model);
            loop.addListener(new TrainingListener() {
                @Override
                public void onEpochEnd(Trainable m, EpochRecord record) {
                    seconds.add(record.get("seconds"));
                    rounds[0] = record.get("rounds");
                }
            });
            loop.fit(1, EPOCHS);
        }
        List<Double> warm = new ArrayList<>(seconds.subList(1, seconds.size()));
        warm.sort(Double::compare);
        return new double[] {warm.get(warm.size() / 2), rounds[0]};
    }

    @Test
    void overheadPerAveragingRound() {
        double local = epochCost()[0];
        System.out.printf("single JVM: %.3f s per epoch of %d minibatches of 50%n", local, TRAIN.size() / 50);
        for (String master : List.of("local[1]", "local[2]")) {
            for (int frequency : new int[] {1, 5}) {
                double[] spark = epochCost("distributed.master=" + master, "distributed.averaging_frequency=" + frequency);
                System.out.printf("%s, averaging every %d: %.3f s per epoch, %.0f rounds, %+.1f ms per round against"
                        + " the single JVM%n", master, frequency, spark[0], spark[1],
                        1000 * (spark[0] - local) / spark[1]);
            }
        }
    }
}
