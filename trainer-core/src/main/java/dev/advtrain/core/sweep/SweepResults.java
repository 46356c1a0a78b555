package dev.advtrain.core.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.run.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A sweep's results table, kept in the sweep directory and rewritten whenever a candidate ends:
 * {@code results.json} and {@code results.csv} (best first), {@code pareto.png} and {@code
 * best-config.yaml}, the best candidate's config, ready for {@code advtrain train}. A resumed sweep
 * reads {@code results.json} back to know which candidates have ended. Thread-safe: parallel
 * candidates record their rows here.
 */
final class SweepResults {

    static final String JSON_FILE = "results.json";
    static final String CSV_FILE = "results.csv";
    static final String CHART_FILE = "pareto.png";
    static final String BEST_CONFIG_FILE = "best-config.yaml";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final SweepConfig sweep;
    private final String trainRunsDir;
    private final Map<Integer, CandidateResult> rows = new TreeMap<>();

    /**
     * @param table what {@code results.json} holds
     * @param best the best candidate's number, null if none finished and met min_clean
     * @param pareto the numbers of the candidates on the Pareto front of clean and robust validation accuracy
     * @param candidates every ended candidate, best first
     */
    record Table(@JsonProperty("sweep") String sweep, @JsonProperty("objective") String objective,
            @JsonProperty("best") Integer best, @JsonProperty("pareto") List<Integer> pareto,
            @JsonProperty("candidates") List<CandidateResult> candidates) {
    }

    /**
     * The table of the sweep in {@code dir}, with the rows already in its {@code results.json}.
     *
     * @param trainRunsDir where {@code best-config.yaml} sends its run: the base config's {@code output.runs_dir}
     */
    static SweepResults open(Path dir, SweepConfig sweep, String trainRunsDir) {
        SweepResults results = new SweepResults(dir, sweep, trainRunsDir);
        Path file = dir.resolve(JSON_FILE);
        if (Files.isRegularFile(file)) {
            try {
                JSON.readValue(file.toFile(), Table.class).candidates().forEach(r -> results.rows.put(r.candidate(), r));
            } catch (IOException e) {
                throw new UserErrorException("cannot read the sweep's results table " + file + ": " + e.getMessage(), e);
            }
        }
        return results;
    }

    private SweepResults(Path dir, SweepConfig sweep, String trainRunsDir) {
        this.dir = dir;
        this.sweep = sweep;
        this.trainRunsDir = trainRunsDir;
    }

    /** The row of a candidate that has ended (finished or failed), if any. */
    synchronized Optional<CandidateResult> get(int candidate) {
        return Optional.ofNullable(rows.get(candidate));
    }

    /** Adds (or replaces) a candidate's row and rewrites every file drawn from the table. */
    synchronized void record(CandidateResult row) {
        rows.put(row.candidate(), row);
        List<CandidateResult> ranked = ranked();
        List<CandidateResult> front = paretoFront(ranked);
        Optional<CandidateResult> best = best();
        RunDirectory.writeString(dir.resolve(JSON_FILE), json(new Table(sweep.name(), sweep.objective().describe(),
                best.map(CandidateResult::candidate).orElse(null),
                front.stream().map(CandidateResult::candidate).sorted().toList(), ranked)));
        RunDirectory.writeString(dir.resolve(CSV_FILE), csv(ranked, front));
        SweepChart.write(ranked.stream().filter(r -> r.status() == CandidateResult.Status.FINISHED).toList(), front,
                best, dir.resolve(CHART_FILE));
        best.ifPresent(this::writeBestConfig);
    }

    /** Every ended candidate, best first ({@link CandidateResult#RANKING}). */
    synchronized List<CandidateResult> ranked() {
        return rows.values().stream().sorted(CandidateResult.RANKING).toList();
    }

    /** The best finished candidate that meets {@code objective.min_clean}. */
    synchronized Optional<CandidateResult> best() {
        return ranked().stream().filter(r -> r.status() == CandidateResult.Status.FINISHED && r.feasible()).findFirst();
    }

    /**
     * The finished candidates no other finished candidate beats on both clean and robust validation
     * accuracy (at least as good on both and better on one), in the order given.
     */
    static List<CandidateResult> paretoFront(List<CandidateResult> rows) {
        List<CandidateResult> finished = rows.stream().filter(r -> r.status() == CandidateResult.Status.FINISHED).toList();
        return finished.stream().filter(r -> finished.stream().noneMatch(o -> dominates(o, r))).toList();
    }

    private static boolean dominates(CandidateResult a, CandidateResult b) {
        return a.valCleanAcc() >= b.valCleanAcc() && a.valRobustAcc() >= b.valRobustAcc()
                && (a.valCleanAcc() > b.valCleanAcc() || a.valRobustAcc() > b.valRobustAcc());
    }

    /**
     * {@code best-config.yaml}: the candidate's resolved config under the name {@code <sweep>-best},
     * writing its run where the base config does, so {@code advtrain train --config} trains it again.
     */
    private void writeBestConfig(CandidateResult best) {
        Path config = dir.resolve(best.directory()).resolve("config.yaml");
        RunConfig chosen = ConfigLoader.load(config, List.of("name=" + sweep.name() + "-best",
                "output.runs_dir=" + trainRunsDir), Map.of());
        String header = String.format("# advtrain sweep %s: the best candidate, %d (%s), by %s: score %.4f"
                + " (clean %.4f, robust %.4f validation accuracy).%n# Train it again: advtrain train --config %s%n",
                sweep.name(), best.candidate(), best.valuesText(), sweep.objective().describe(), best.score(),
                best.valCleanAcc(), best.valRobustAcc(), dir.resolve(BEST_CONFIG_FILE));
        RunDirectory.writeString(dir.resolve(BEST_CONFIG_FILE), header + ConfigLoader.yaml(chosen));
    }

    private static String json(Table table) {
        try {
            return JSON.writeValueAsString(table) + System.lineSeparator();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String csv(List<CandidateResult> ranked, List<CandidateResult> front) {
        List<String> keys = new ArrayList<>(sweep.space().keySet());
        StringBuilder out = new StringBuilder("rank,candidate,status,score,feasible,pareto,val_clean_acc,val_robust_acc,"
                + "test_clean_acc,test_robust_acc,best_epoch,epochs,seconds,");
        keys.forEach(k -> out.append(cell(k)).append(','));
        out.append("directory,reason\n");
        for (int i = 0; i < ranked.size(); i++) {
            CandidateResult r = ranked.get(i);
            List<String> cells = new ArrayList<>(List.of(String.valueOf(i + 1), String.valueOf(r.candidate()),
                    r.status().id(), number(r.score()), String.valueOf(r.feasible()), String.valueOf(front.contains(r)),
                    number(r.valCleanAcc()), number(r.valRobustAcc()), number(r.testCleanAcc()),
                    number(r.testRobustAcc()), String.valueOf(r.bestEpoch()), String.valueOf(r.epochs()),
                    String.format("%.1f", r.seconds())));
            keys.forEach(k -> cells.add(value(r.values().get(k))));
            cells.add(r.directory() == null ? "" : r.directory());
            cells.add(r.reason() == null ? "" : r.reason());
            out.append(cells.stream().map(SweepResults::cell).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    private static String number(Double value) {
        return value == null || value.isNaN() ? "" : String.format("%.4f", value);
    }

    private static String value(Object value) {
        String json = ConfigSpace.json(value);
        return json.startsWith("\"") ? json.substring(1, json.length() - 1) : json;
    }

    /** A CSV cell: quoted when it holds a comma, a quote or a line break. */
    private static String cell(String text) {
        return text.matches("(?s).*[\",\\n\\r].*") ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }
}
