package dev.advtrain.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.TrainingListener;
import dev.advtrain.core.train.Trainable;
import dev.advtrain.core.train.WeightAverage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.advtrain.core.model.ModelFiles;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-epoch checkpoints: {@code checkpoints/epoch-NNN.zip} (network with updater state), with
 * weight averaging {@code epoch-NNN.average.bin} (the averaged weights), and then {@code
 * epoch-NNN.json} (the metrics history so far, and how many batches the average holds). The JSON is
 * written last, so a checkpoint counts only once every file is complete.
 */
public final class Checkpoints implements TrainingListener {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern STATE = Pattern.compile("epoch-(\\d+)\\.json");

    private final RunDirectory run;
    private final List<Map<String, Double>> history;
    private final WeightAverage average;

    /**
     * Continues after {@code history} (empty for a new run).
     *
     * @param average saved with each checkpoint; null without weight averaging
     */
    public Checkpoints(RunDirectory run, List<Map<String, Double>> history, WeightAverage average) {
        this.run = run;
        this.history = new ArrayList<>(history);
        this.average = average;
    }

    /**
     * One saved epoch: its number, the network file, the metrics of every epoch up to it, and with
     * weight averaging the file of the averaged weights and the batches averaged into them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Checkpoint(
            @JsonProperty("epoch") int epoch,
            @JsonProperty("model") String model,
            @JsonProperty("history") List<Map<String, Double>> history,
            @JsonProperty("average") String average,
            @JsonProperty("average_updates") Long averageUpdates) {
    }

    @Override
    public void onEpochEnd(Trainable model, EpochRecord record) {
        history.add(record.toRow());
        String base = String.format("epoch-%03d", record.epoch());
        Path file = run.checkpoints().resolve(base + ".zip");
        RunDirectory.writeAtomically(file, f -> ModelSerializer.writeModel(model.model(), f.toFile(), true));
        String averageFile = null;
        if (average != null) {
            averageFile = base + ".average.bin";
            RunDirectory.writeAtomically(run.checkpoints().resolve(averageFile), f -> Nd4j.saveBinary(average.params(), f.toFile()));
        }
        Checkpoint state = new Checkpoint(record.epoch(), file.getFileName().toString(), List.copyOf(history),
                averageFile, average == null ? null : average.updates());
        RunDirectory.writeAtomically(run.checkpoints().resolve(base + ".json"), f -> JSON.writeValue(f.toFile(), state));
    }

    /** The metrics of every epoch so far. */
    public List<Map<String, Double>> history() {
        return List.copyOf(history);
    }

    /** The latest complete checkpoint of a run, if any. */
    public static Optional<Checkpoint> latest(RunDirectory run) {
        if (!Files.isDirectory(run.checkpoints())) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(run.checkpoints())) {
            int best = -1;
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = STATE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    best = Math.max(best, Integer.parseInt(m.group(1)));
                }
            }
            if (best < 0) {
                return Optional.empty();
            }
            Path state = run.checkpoints().resolve(String.format("epoch-%03d.json", best));
            Checkpoint checkpoint = JSON.readValue(state.toFile(), Checkpoint.class);
            if (!Files.isRegularFile(run.checkpoints().resolve(checkpoint.model()))) {
                throw new UserErrorException(state + ": its model file " + checkpoint.model() + " is missing");
            }
            return Optional.of(checkpoint);
        } catch (IOException e) {
            throw new UserErrorException("cannot read the checkpoints in " + run.checkpoints() + ": " + e.getMessage(), e);
        }
    }

    /** The network of a checkpoint, with its updater state. */
    public static Model restore(RunDirectory run, Checkpoint checkpoint) {
        return ModelFiles.load(run.checkpoints().resolve(checkpoint.model()), true);
    }

    /**
     * The weight average of {@code trained} for a run with {@code decay} ({@code training.ema_decay}):
     * the checkpoint's when there is one, else a new one; null for decay 0.
     */
    public static WeightAverage average(RunDirectory run, Optional<Checkpoint> checkpoint, Trainable trained,
            double decay) {
        if (decay == 0) {
            return null;
        }
        WeightAverage average = new WeightAverage(trained, decay);
        if (checkpoint.isEmpty()) {
            return average;
        }
        Checkpoint c = checkpoint.get();
        if (c.average() == null) {
            throw new UserErrorException("checkpoint epoch " + c.epoch() + " of " + run.root() + " has no weight"
                    + " average, but training.ema_decay is " + decay + "; start a new run");
        }
        Path file = run.checkpoints().resolve(c.average());
        try {
            return average.resume(Nd4j.readBinary(file.toFile()), c.averageUpdates());
        } catch (IOException | RuntimeException e) {
            throw new UserErrorException("cannot read the weight average " + file + ": " + e.getMessage(), e);
        }
    }
}
