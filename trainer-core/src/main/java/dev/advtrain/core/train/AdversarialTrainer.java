package dev.advtrain.core.train;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.model.GradientMode;
import dev.advtrain.core.Seeds;
import dev.advtrain.core.config.AttackConfig;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.eval.Attacks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The adversarial training loop: for each batch, replace the share the {@link Mixing} policy asks
 * for by adversarial examples crafted against the current weights, then take one optimiser step
 * on the mixed batch.
 *
 * <p>Everything else is a {@link TrainingListener}. Randomness is derived from the seed and the
 * epoch (data order, dropout, random starts), so an epoch trained after a resume is the epoch an
 * uninterrupted run would have trained.
 *
 * <p>Per-epoch training metrics: {@code train_loss} is the mean optimisation loss of the mixed
 * batches; {@code clean_*} and {@code adv_*} are measured in inference mode, before each update, on
 * up to {@value #METRIC_SAMPLE} clean and {@value #METRIC_SAMPLE} adversarial examples per batch
 * (a sample, to keep the overhead near 5%).
 */
public final class AdversarialTrainer {

    static final int METRIC_SAMPLE = 32;

    private final MultiLayerNetwork network;
    private final ImageDataSetIterator data;
    private final AttackConfig attack;
    private final GradientMode gradientMode;
    private final Mixing mixing;
    private final double epsWarmupEpochs;
    private final long seed;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /**
     * @param data shuffled training batches; the trainer sets its epoch
     * @param attack the training attack (its eps is the target of the warm-up)
     */
    public AdversarialTrainer(MultiLayerNetwork network, ImageDataSetIterator data, AttackConfig attack,
            GradientMode gradientMode, Mixing mixing, double epsWarmupEpochs, long seed) {
        this.network = network;
        this.data = data;
        this.attack = attack;
        this.gradientMode = gradientMode;
        this.mixing = mixing;
        this.epsWarmupEpochs = epsWarmupEpochs;
        this.seed = seed;
    }

    /** Adds a listener; called after those added before it. */
    public AdversarialTrainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Trains epochs {@code firstEpoch} to {@code epochs} (1-based, inclusive).
     */
    public void fit(int firstEpoch, int epochs) {
        int batchesPerEpoch = data.batchesPerEpoch();
        EpsilonSchedule schedule = EpsilonSchedule.of(attack.eps(), epsWarmupEpochs, batchesPerEpoch);
        DifferentiableClassifier classifier = Classifiers.of(network, gradientMode);
        listeners.forEach(l -> l.onTrainingStart(network, firstEpoch, epochs, batchesPerEpoch));
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            EpochRecord record = trainEpoch(epoch, batchesPerEpoch, schedule, classifier);
            listeners.forEach(l -> l.onEpochEnd(network, record));
        }
        listeners.forEach(l -> l.onTrainingEnd(network));
    }

    private EpochRecord trainEpoch(int epoch, int batchesPerEpoch, EpsilonSchedule schedule,
            DifferentiableClassifier classifier) {
        long started = System.nanoTime();
        network.setEpochCount(epoch - 1);
        data.setEpoch(epoch - 1);
        Nd4j.getRandom().setSeed(Seeds.derive(seed, "dropout", epoch));
        SplittableRandom attackSeeds = new SplittableRandom(Seeds.derive(seed, "training-attack", epoch));
        Accumulator clean = new Accumulator();
        Accumulator adversarial = new Accumulator();
        double lossSum = 0;
        int batch = 0;
        double eps = 0;
        while (data.hasNext()) {
            DataSet ds = data.next();
            INDArray x = ds.getFeatures();
            INDArray y = ds.getLabels();
            int n = (int) x.size(0);
            long iteration = network.getIterationCount();
            eps = schedule.at(iteration);
            int k = mixing.adversarialCount((long) (epoch - 1) * batchesPerEpoch + batch, n);
            INDArray features = x;
            if (k > 0) {
                Attack<DifferentiableClassifier> training = Attacks.create(attack, eps, attackSeeds.nextLong());
                INDArray head = x.get(NDArrayIndex.interval(0, k), NDArrayIndex.all());
                Criterion criterion = Criterion.untargeted(y.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()));
                features = x.dup();
                features.get(NDArrayIndex.interval(0, k), NDArrayIndex.all())
                        .assign(training.generate(classifier, head, criterion).adversarial());
            }
            adversarial.sample(features, y, 0, k);
            clean.sample(features, y, k, n);
            network.fit(new DataSet(features, y));
            double loss = network.score();
            lossSum += loss;
            TrainingListener.BatchEvent event = new TrainingListener.BatchEvent(epoch, batch, batchesPerEpoch,
                    network.getIterationCount(), eps, k, loss);
            listeners.forEach(l -> l.onBatchEnd(event));
            batch++;
        }
        data.reset();
        double learningRate = currentLearningRate(); // the rate this epoch ended with
        network.setEpochCount(epoch);
        return new EpochRecord(epoch)
                .put("iterations", network.getIterationCount())
                .put("eps", eps)
                .put("learning_rate", learningRate)
                .put("train_loss", lossSum / Math.max(1, batch))
                .put("clean_loss", clean.loss())
                .put("clean_acc", clean.accuracy())
                .put("adv_loss", adversarial.loss())
                .put("adv_acc", adversarial.accuracy())
                .put("seconds", (System.nanoTime() - started) / 1e9);
    }

    private double currentLearningRate() {
        Double lr = network.getLearningRate(0);
        return lr == null ? Double.NaN : lr;
    }

    /** Loss and accuracy over sampled rows, measured in inference mode. */
    private final class Accumulator {
        private double loss;
        private int correct;
        private int count;

        void sample(INDArray features, INDArray labels, int from, int to) {
            int end = Math.min(to, from + METRIC_SAMPLE);
            if (end <= from) {
                return;
            }
            INDArray rows = features.get(NDArrayIndex.interval(from, end), NDArrayIndex.all());
            INDArray truth = labels.get(NDArrayIndex.interval(from, end), NDArrayIndex.all());
            INDArray p = network.output(rows, false);
            loss -= Transforms.log(Transforms.max(p.mul(truth).sum(1), 1e-12, false), false).sumNumber().doubleValue();
            INDArray hit = Nd4j.argMax(p, 1).eq(Nd4j.argMax(truth, 1));
            correct += hit.castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().intValue();
            count += end - from;
        }

        double loss() {
            return count == 0 ? Double.NaN : loss / count;
        }

        double accuracy() {
            return count == 0 ? Double.NaN : (double) correct / count;
        }
    }
}
