package dev.advtrain.core.train.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.Progress;
import dev.advtrain.core.config.CollapseAction;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.ImageDataSetIterator;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.RobustnessEvaluator;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.testing.LearnableMnist;
import dev.advtrain.core.train.AdversarialTrainer;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.TrainingListener;
import dev.advtrain.core.train.recipe.RecipeHarness;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The catastrophic-overfitting guard. Its decisions are driven by hand with scripted robust
 * accuracies (from the epoch records, or from the check function every N iterations), on a real
 * model that takes an optimiser step before each check, so a rollback can be told from no rollback
 * by both the weights and the Adam state.
 *
 * <p>The band task of the test data does not overfit catastrophically under fast adversarial
 * training in a few seconds (FGSM without random start at eps 0.15 to 0.4 and learning rates up to
 * 0.03 was tried: robust accuracy either grows steadily or never rises), so the run that collapses
 * is built to: a listener overwrites the weights with a freshly initialised network's at a chosen
 * iteration. The same run without it must record no collapse.
 */
class CollapseGuardTest {

    private static final DataSet BATCH = ImageDataSetIterator.builder(LearnableMnist.images(20, 5)).batchSize(20)
            .build().next();

    private final AdversarialTrainer trainer = RecipeHarness.trainer(RecipeHarness.config());
    private final Trainable model = trainer.model();
    private final Deque<Double> scripted = new ArrayDeque<>();
    private final Map<Long, State> stateAt = new HashMap<>();
    private int checks;

    /** The weights and updater state of the model, copied. */
    private record State(INDArray params, INDArray updater) {
    }

    // --- decisions, with scripted accuracies

    @Test
    void noEventWhileAccuracyRisesOrDipsByNoMoreThanDrop() {
        CollapseGuard guard = guard("rollback", "guards.collapse.drop=0.25");
        double[] accuracies = {0.25, 0.5, 0.375, 0.75, 0.5, 0.625};
        for (int epoch = 1; epoch <= accuracies.length; epoch++) {
            EpochRecord record = epoch(guard, epoch, accuracies[epoch - 1]);
            assertEquals(0, record.get("collapses"));
            assertEquals(1, record.get("step_scale"));
            assertTrue(Double.isNaN(record.get("rolled_back")));
            assertUnchangedSince(epoch);
        }
        assertEquals(List.of(), guard.events());
        assertNull(trainer.stopReason());
    }

    @Test
    void aFallOfMoreThanDropBelowTheBestIsOneEventAndRollsBackToTheLastGoodCheck() {
        CollapseGuard guard = guard("rollback", "guards.collapse.drop=0.25");
        epoch(guard, 1, 0.5);
        epoch(guard, 2, 0.75);
        EpochRecord collapsed = epoch(guard, 3, 0.375);
        assertEquals(List.of(new CollapseGuard.Event(3, 3, 0.375, 0.75, CollapseAction.ROLLBACK, 1.0)), guard.events());
        assertEquals(1, collapsed.get("collapses"));
        assertEquals(1, collapsed.get("rolled_back"));
        assertRolledBackTo(2);

        EpochRecord next = epoch(guard, 4, 0.625); // below the best, but by less than drop: the new last good check
        assertEquals(1, next.get("collapses"));
        assertTrue(Double.isNaN(next.get("rolled_back")));
        assertUnchangedSince(4);
        epoch(guard, 5, 0.45);
        assertEquals(2, guard.events().size());
        assertEquals(0.75, guard.events().get(1).best(), "the best survives a rollback");
        assertRolledBackTo(4);
        assertEquals(1.0, trainer.stepScale());
        assertNull(trainer.stopReason());
    }

    @Test
    void lowerStepMultipliesTheStepScaleByTheFactorAtEachCollapseAndRollsBack() {
        CollapseGuard guard = guard("lower-step", "guards.collapse.step_factor=0.5");
        epoch(guard, 1, 0.75);
        EpochRecord first = epoch(guard, 2, 0.25);
        assertEquals(0.5, trainer.stepScale());
        assertEquals(0.5, first.get("step_scale"));
        assertRolledBackTo(1);
        epoch(guard, 3, 0.75);
        EpochRecord second = epoch(guard, 4, 0.25);
        assertEquals(0.25, trainer.stepScale());
        assertEquals(0.25, second.get("step_scale"));
        assertRolledBackTo(3);
        assertEquals(List.of(0.5, 0.25), guard.events().stream().map(CollapseGuard.Event::stepScale).toList());
        assertEquals(List.of(CollapseAction.LOWER_STEP, CollapseAction.LOWER_STEP),
                guard.events().stream().map(CollapseGuard.Event::action).toList());
        assertNull(trainer.stopReason());
    }

    @Test
    void stopRestoresTheLastGoodCheckAndRequestsAStop() {
        CollapseGuard guard = guard("stop");
        epoch(guard, 1, 0.75);
        epoch(guard, 2, 0.25);
        assertRolledBackTo(1);
        assertTrue(trainer.stopReason().startsWith("catastrophic overfitting at epoch 2"), trainer.stopReason());
        assertEquals(1.0, trainer.stepScale());
    }

    @Test
    void maxCollapsesStopsTheRun() {
        CollapseGuard guard = guard("rollback", "guards.collapse.max_collapses=2");
        epoch(guard, 1, 0.75);
        epoch(guard, 2, 0.25);
        assertNull(trainer.stopReason(), "stopped after one collapse of two allowed");
        epoch(guard, 3, 0.25);
        assertRolledBackTo(1);
        assertTrue(trainer.stopReason().contains("max_collapses"), trainer.stopReason());
    }

    @Test
    void everyNIterationsTheCheckFunctionJudgesAndEpochRecordsAreIgnored() {
        CollapseGuard guard = guard("rollback", "guards.collapse.every=2");
        scripted.addAll(List.of(0.5, 0.75, 0.25));
        for (long iteration = 1; iteration <= 6; iteration++) {
            step(iteration);
            guard.onBatchEnd(new TrainingListener.BatchEvent(1, (int) iteration - 1, 6, iteration, 0.1, 20, 1.0));
        }
        assertEquals(3, checks, "checks at iterations 2, 4 and 6");
        assertEquals(List.of(new CollapseGuard.Event(1, 6, 0.25, 0.75, CollapseAction.ROLLBACK, 1.0)), guard.events());
        assertRolledBackTo(4);

        EpochRecord record = new EpochRecord(1).put("val_robust_acc", 0.0);
        guard.onEpochEnd(model, record);
        assertEquals(1, guard.events().size(), "the epoch's validation is not the guard's check when every > 0");
        assertEquals(1, record.get("collapses"));
        assertEquals(1, record.get("rolled_back"));
    }

    @Test
    void afterAResumeTheHistorysBestIsTheReference() {
        List<Map<String, Double>> history = List.of(Map.of("epoch", 1.0, "val_robust_acc", 0.9),
                Map.of("epoch", 2.0, "val_robust_acc", 0.5));
        CollapseGuard guard = new CollapseGuard(RecipeHarness.config("guards.collapse.action=rollback").guards().collapse(),
                trainer, m -> Double.NaN, history);
        step(2);
        guard.onTrainingStart(model, 3, 5, 1);
        epoch(guard, 3, 0.6);
        assertEquals(0.9, guard.events().get(0).best());
        assertRolledBackTo(2);
    }

    @Test
    void withoutValidationTheEpochCheckAsksTheCheckFunction() {
        CollapseGuard guard = guard("rollback");
        scripted.addAll(List.of(0.75, 0.25));
        step(1);
        guard.onEpochEnd(model, new EpochRecord(1));
        step(2);
        guard.onEpochEnd(model, new EpochRecord(2));
        assertEquals(2, checks);
        assertEquals(1, guard.events().size());
        assertRolledBackTo(1);
    }

    /** A guard doing {@code action} with the check function of {@link #scripted}, started on {@link #model}. */
    private CollapseGuard guard(String action, String... settings) {
        List<String> overrides = new ArrayList<>(List.of("guards.collapse.action=" + action));
        overrides.addAll(List.of(settings));
        ToDoubleFunction<Trainable> check = m -> {
            checks++;
            return scripted.remove();
        };
        CollapseGuard guard = new CollapseGuard(RecipeHarness.config(overrides.toArray(String[]::new)).guards().collapse(),
                trainer, check, List.of());
        guard.onTrainingStart(model, 1, 10, 1);
        return guard;
    }

    /** One optimiser step, then the epoch's record with {@code valRobustAcc} handed to the guard. */
    private EpochRecord epoch(CollapseGuard guard, int epoch, double valRobustAcc) {
        step(epoch);
        EpochRecord record = new EpochRecord(epoch).put("val_robust_acc", valRobustAcc);
        guard.onEpochEnd(model, record);
        return record;
    }

    /** One optimiser step; remembers the state it leaves under {@code key}. */
    private void step(long key) {
        model.fit(BATCH.getFeatures(), BATCH.getLabels());
        stateAt.put(key, state());
    }

    private State state() {
        MultiLayerNetwork network = (MultiLayerNetwork) model.model();
        return new State(network.params().dup(), network.getUpdater().getStateViewArray().dup());
    }

    private void assertRolledBackTo(long key) {
        assertEquals(stateAt.get(key), state(), "not the state of the last good check, " + key);
    }

    private void assertUnchangedSince(long key) {
        assertEquals(stateAt.get(key), state(), "the guard changed the model after a good check");
    }

    // --- real training runs

    /**
     * The real runs: fast-at (the single-step recipe the guard is for), 2 epochs of 10 batches, and a
     * guard that stops, checking every 5 iterations with PGD-5 at eps 0.15 on 100 images.
     */
    private static final RunConfig REAL = RecipeHarness.config("adversarial.recipe=fast-at",
            "guards.collapse.action=stop", "guards.collapse.every=5", "validation.steps=5", "validation.rel_step_size=0.5");
    private static final LabeledImages CHECKED = LearnableMnist.images(100, 2);

    /** The guard's check as a training run makes it, on {@link #CHECKED}; the values are kept in order. */
    private static final class RecordedCheck implements ToDoubleFunction<Trainable> {
        final List<Double> values = new ArrayList<>();

        @Override
        public double applyAsDouble(Trainable model) {
            double value = new RobustnessEvaluator(model.model(), Progress.none()).attack(REAL.validation(), CHECKED, 3)
                    .robustAccuracy();
            values.add(value);
            return value;
        }
    }

    @Test
    void firesOnARunBuiltToCollapseAndStopsAtTheLastGoodWeights() {
        AdversarialTrainer run = RecipeHarness.trainer(REAL);
        MultiLayerNetwork fresh = ModelFactory.build(REAL.model(), REAL.training(), 99, 10);
        RecordedCheck check = new RecordedCheck();
        CollapseGuard guard = new CollapseGuard(REAL.guards().collapse(), run, check, List.of());
        List<EpochRecord> records = new ArrayList<>();
        run.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent event) {
                if (event.iteration() == 15) {
                    run.model().model().params().assign(fresh.params());
                }
            }
        }).addListener(guard).addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(Trainable model, EpochRecord record) {
                records.add(record);
            }
        });
        run.fit(1, REAL.training().epochs());

        assertEquals(3, check.values.size(), "checks at iterations 5, 10, 15: " + check.values);
        double lastGood = check.values.get(1);
        double collapsed = check.values.get(2);
        assertEquals(1, guard.events().size(), "robust accuracy at the checks " + check.values);
        assertEquals(15, guard.events().get(0).iteration());
        assertTrue(collapsed < lastGood - 0.2, "the sabotage did not collapse robustness: " + check.values);
        assertEquals(15, run.model().iterationCount(), "training went on after the stop");
        assertTrue(run.stopReason().startsWith("catastrophic overfitting at epoch 2"), run.stopReason());
        assertEquals(lastGood, check.applyAsDouble(run.model()), "not the last good check's weights");
        assertEquals(2, records.size());
        assertEquals(1, records.get(1).get("collapses"));
        assertEquals(1, records.get(1).get("rolled_back"));
    }

    /** The same run without the sabotage. */
    @Test
    void staysQuietOnANormalRun() {
        AdversarialTrainer run = RecipeHarness.trainer(REAL);
        RecordedCheck check = new RecordedCheck();
        CollapseGuard guard = new CollapseGuard(REAL.guards().collapse(), run, check, List.of());
        run.addListener(guard).fit(1, REAL.training().epochs());

        assertEquals(4, check.values.size(), "checks at iterations 5, 10, 15 and 20: " + check.values);
        assertEquals(List.of(), guard.events(), "robust accuracy at the checks " + check.values);
        assertNull(run.stopReason());
        assertTrue(check.values.get(3) > check.values.get(0), "robustness did not grow: " + check.values);
    }
}
