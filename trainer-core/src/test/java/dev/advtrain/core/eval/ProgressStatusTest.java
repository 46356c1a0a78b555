package dev.advtrain.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.advtrain.core.Progress;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.testing.LearnableMnist;
import dev.advtrain.core.train.ProgressListener;
import dev.advtrain.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A progress line printed at a step shows the status of that step, not of the step before: the
 * last line of an evaluation reads the accuracy the report holds.
 */
class ProgressStatusTest {

    /** The status in force each time a step is reported, as a logging progress would print it. */
    private static final class Recording implements Progress {
        final List<String> printed = new ArrayList<>();

        @Override
        public Task start(String label, long total) {
            return new Task() {
                private String status = "";

                @Override
                public void step(long n) {
                    printed.add(status);
                }

                @Override
                public void status(String text) {
                    status = text;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void theLastEvaluationLineReadsTheReportedAccuracy() {
        RunConfig config = ConfigLoader.load(null, List.of("model.arch=mlp",
                "validation={attack: pgd, eps: 0.001, steps: 1, step_size: 0.001}"), Map.of()).validate();
        Recording progress = new Recording();
        RobustnessReport.AttackOutcome outcome = new RobustnessEvaluator(
                ModelFactory.build(config.model(), config.training(), 1, 10), progress)
                .attack(config.validation(), LearnableMnist.images(300, 4), 5); // two batches: 250 and 50
        assertEquals(2, progress.printed.size());
        assertEquals(String.format("robust %.3f", outcome.robustAccuracy()), progress.printed.get(1));
        // An untrained network and a tiny eps: robust accuracy is about chance and differs between the
        // first batch and all of them, so the line of the batch before could not pass for the last one.
        assertNotEquals(progress.printed.get(0), progress.printed.get(1));
    }

    @Test
    void aTrainingLineShowsTheLossOfTheBatchItCounts() {
        Recording progress = new Recording();
        ProgressListener listener = new ProgressListener(progress);
        listener.onTrainingStart(null, 1, 1, 2);
        listener.onBatchEnd(new TrainingListener.BatchEvent(1, 0, 2, 1, 0.1, 8, 0.5));
        listener.onBatchEnd(new TrainingListener.BatchEvent(1, 1, 2, 2, 0.2, 8, 0.25));
        assertEquals(List.of("loss 0.5000 eps 0.100", "loss 0.2500 eps 0.200"), progress.printed);
    }
}
