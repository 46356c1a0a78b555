package dev.advtrain.core.sweep;

import dev.advtrain.core.testing.LearnableMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sweeps over short runs on the learnable band task: the shared set-up of the sweep tests. */
final class SweepFixture {

    private SweepFixture() {
    }

    /**
     * Writes {@code base.yaml} (an MLP, 1 epoch on 400 images, 100-image validation with PGD-3, a
     * token FGSM evaluation) and {@code sweep.yaml} ({@code sweepBody}, with {@code name: tiny},
     * {@code runs_dir} in {@code dir} and {@code base: base.yaml}) into {@code dir}.
     *
     * @return the sweep file
     */
    static Path write(Path dir, String sweepBody) throws IOException {
        Files.writeString(dir.resolve("base.yaml"), String.join("\n",
                "name: base",
                "seed: 3",
                "data: {dir: '" + LearnableMnist.sharedFiles() + "', train_limit: 500, validation_size: 100, test_limit: 60}",
                "model: {arch: mlp}",
                "training: {epochs: 1, batch_size: 50, optimizer: sgd, learning_rate: 0.05}",
                "adversarial: {eps: 0.1, eps_warmup_epochs: 0}",
                "validation: {steps: 3}",
                "evaluation: {clean_limit: 60, attacks: [{attack: fgsm, eps: 0.1, limit: 60}]}",
                "output: {runs_dir: '" + dir.resolve("train-runs") + "'}", ""));
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, "name: tiny\nruns_dir: '" + dir.resolve("runs") + "'\nbase: base.yaml\n" + sweepBody);
        return sweep;
    }
}
