package dev.advtrain.core.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.Progress;
import dev.advtrain.core.UserErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose loss stops being finite ends with a user error that says so and names the last good
 * checkpoint, and writes no {@code model.zip}.
 */
class DivergenceTest {

    @Test
    void anAbsurdLearningRateFailsInTheFirstEpochAndSaysNoEpochFinished(@TempDir Path runs) {
        TrainingRun training = TrainingRun.start(RunFixture.small(runs, "absurd", "training.optimizer=sgd",
                "training.learning_rate=1e6"));
        String message = assertThrows(UserErrorException.class, () -> training.execute(Progress.none())).getMessage();

        assertTrue(message.matches("training diverged: the loss of epoch 1, batch \\d+ is (NaN|-?Infinity); no epoch"
                + " finished; lower training.learning_rate \\(or adversarial.eps\\) and start a new run"), message);
        RunDirectory dir = training.directory();
        assertFalse(Files.exists(dir.model()), "a diverged run wrote model.zip");
        assertFalse(Files.exists(dir.checkpoints().resolve("epoch-001.zip")));
    }

    /** Epoch 1 trains normally; the resumed epoch 2 runs at a learning rate of 1e6 put into the checkpoint. */
    @Test
    void aLaterDivergenceNamesTheLastGoodCheckpoint(@TempDir Path runs) throws IOException {
        RunDirectory dir = TrainingRun.start(RunFixture.small(runs, "later", "training.optimizer=sgd",
                "training.learning_rate=0.01")).execute(Progress.none()).directory();
        Path epoch1 = dir.checkpoints().resolve("epoch-001.zip");
        MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(epoch1.toFile(), true);
        network.setLearningRate(1e6);
        ModelSerializer.writeModel(network, epoch1.toFile(), true);
        Files.delete(dir.checkpoints().resolve("epoch-002.zip"));
        Files.delete(dir.checkpoints().resolve("epoch-002.json"));
        Files.delete(dir.model());
        Files.delete(dir.report());

        TrainingRun resumed = TrainingRun.resume(dir.root());
        String message = assertThrows(UserErrorException.class, () -> resumed.execute(Progress.none())).getMessage();

        assertTrue(message.matches("training diverged: the loss of epoch 2, batch \\d+ is (NaN|-?Infinity); .*"), message);
        assertTrue(message.contains("; the last good checkpoint is " + epoch1 + " (epoch 1); "), message);
        assertFalse(Files.exists(dir.model()), "a diverged run wrote model.zip");
        assertFalse(Files.exists(dir.checkpoints().resolve("epoch-002.zip")));
    }
}
