package dev.advtrain.core.eval;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackResult;
import dev.advtrain.attacks.Criterion;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.L2Norm;
import dev.advtrain.attacks.LinfNorm;
import dev.advtrain.core.Progress;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs one attack over labelled images, batch by batch, and keeps every adversarial example with
 * the model's verdict on it ({@link AdversarialExamples}). For a transfer attack, pass a
 * {@code TransferAttack}: it crafts on its surrogate, and the model given here only judges.
 *
 * <pre>{@code
 * AdversarialExamples ex = new AttackRunner(attack, Classifiers.of(net), Progress.none())
 *         .run(mnist.test().first(100), Targeting.untargeted(), 100);
 * }</pre>
 */
public final class AttackRunner {

    private final Attack<? super DifferentiableClassifier> attack;
    private final DifferentiableClassifier model;
    private final Progress progress;

    /**
     * @param attack the attack
     * @param model the attacked model, whose predictions decide success
     * @param progress where progress is reported
     */
    public AttackRunner(Attack<? super DifferentiableClassifier> attack, DifferentiableClassifier model, Progress progress) {
        this.attack = attack;
        this.model = model;
        this.progress = progress;
    }

    /** Attacks every image of {@code data}, {@code batchSize} at a time. */
    public AdversarialExamples run(LabeledImages data, Targeting targeting, int batchSize) {
        targeting.checkClasses(data.numClasses());
        long started = System.nanoTime();
        AdversarialExamples.Builder out = AdversarialExamples.builder(data, attack.norm().id(), targeting);
        ImageDataSetIterator batches = ImageDataSetIterator.builder(data).batchSize(batchSize).build();
        int done = 0;
        int successes = 0;
        try (Progress.Task task = progress.start(attack.name() + " " + attack.norm().id() + " eps " + attack.eps(), data.size())) {
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                INDArray x = batch.getFeatures();
                int n = (int) x.size(0);
                int[] labels = new int[n];
                int[] targets = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = data.label(done + i);
                    targets[i] = targeting.target(labels[i], data.numClasses());
                }
                Criterion criterion = targeting.isTargeted()
                        ? Criterion.targeted(oneHot(targets, data.numClasses(), x))
                        : Criterion.untargeted(batch.getLabels());
                INDArray clean = model.predict(x);
                AttackResult result = attack.generate(model, x, criterion);
                INDArray adversarial = result.adversarial();
                INDArray judgedAdversarial = result.predictions();
                boolean[] success = criterion.isSuccess(judgedAdversarial);
                INDArray delta = adversarial.sub(x);
                out.add(done, adversarial, targets, clean, judgedAdversarial, success, attack.norm().perExampleNorm(delta),
                        LinfNorm.INSTANCE.perExampleNorm(delta), L2Norm.INSTANCE.perExampleNorm(delta), result.queries());
                for (int i = 0; i < n; i++) {
                    successes += success[i] && targeting.counts(labels[i], data.numClasses()) ? 1 : 0;
                }
                done += n;
                task.status(String.format("successes %d/%d", successes, done)); // before step, which may print it
                task.step(n);
            }
        }
        return out.build((System.nanoTime() - started) / 1e9);
    }

    private static INDArray oneHot(int[] classes, int numClasses, INDArray like) {
        INDArray result = Nd4j.zeros(like.dataType(), classes.length, numClasses);
        for (int i = 0; i < classes.length; i++) {
            result.putScalar(i, classes[i], 1.0);
        }
        return result;
    }
}
