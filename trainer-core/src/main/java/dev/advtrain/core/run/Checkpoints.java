package dev.advtrain.core.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.train.EpochRecord;
import dev.advtrain.core.train.TrainingListener;
import dev.advtrain.core.train.Trainable;
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

/**
 * Per-epoch checkpoints: {@code checkpoints/epoch-NNN.zip} (network with updater state) and then
 * {@code epoch-NNN.json} (the metrics history so far). The JSON is written last, so a checkpoint
 * counts only once both files are complete.
 */
public final class Checkpoints implements TrainingListener {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern STATE = Pattern.compile("epoch-(\\d+)\\.json");

    private final RunDirectory run;
    private final List<Map<String, Double>> history;

    /** Continues after {@code history} (empty for a new run). */
    public Checkpoints(RunDirectory run, List<Map<String, Double>> history) {
        this.run = run;
        this.history = new ArrayList<>(history);
    }

    /** One saved epoch: its number, the network file and the metrics of every epoch up to it. */
    public record Checkpoint(
            @JsonProperty("epoch") int epoch,
            @JsonProperty("model") String model,
            @JsonProperty("history") List<Map<String, Double>> history) {
    }

    @Override
    public void onEpochEnd(Trainable model, EpochRecord record) {
        history.add(record.toRow());
        String base = String.format("epoch-%03d", record.epoch());
        Path file = run.checkpoints().resolve(base + ".zip");
        RunDirectory.writeAtomically(file, f -> ModelSerializer.writeModel(model.model(), f.toFile(), true));
        Checkpoint state = new Checkpoint(record.epoch(), file.getFileName().toString(), List.copyOf(history));
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
}
