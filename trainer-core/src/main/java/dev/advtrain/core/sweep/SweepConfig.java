package dev.advtrain.core.sweep;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigEnums;
import dev.advtrain.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A hyperparameter sweep ({@code configs/sweep-*.yaml}): a base run config, the config keys to
 * search over and their ranges, how candidates are drawn, what "best" means and when to stop. Read
 * with {@link #load}; {@code configs/sweep-mnist-tiny.yaml} documents every key.
 *
 * <pre>{@code
 * SweepConfig sweep = SweepConfig.load(Path.of("configs/sweep-mnist-eps.yaml"), List.of("budget.candidates=4"));
 * }</pre>
 *
 * @param name the sweep's directory, {@code <runs_dir>/<name>}; letters, digits, '.', '_' or '-';
 *     default {@code sweep}
 * @param runsDir where the sweep directory is made ({@code runs_dir}); default {@code runs}
 * @param base the run config every candidate starts from, relative to the sweep file's directory;
 *     null = the built-in defaults
 * @param set config keys fixed for every candidate, {@code key.path: value}, applied to the base
 *     config before the candidate's own values
 * @param search how candidates are drawn
 * @param space the search space: one range per config key ({@code key.path: range}); at least one
 * @param objective what the best candidate is
 * @param budget when the sweep stops starting candidates
 * @param parallel candidates trained at the same time; null = {@link #autoParallel()}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepConfig(
        @JsonProperty("name") String name,
        @JsonProperty("runs_dir") String runsDir,
        @JsonProperty("base") String base,
        @JsonProperty("set") Map<String, JsonNode> set,
        @JsonProperty("search") Search search,
        @JsonProperty("space") Map<String, Range> space,
        @JsonProperty("objective") Objective objective,
        @JsonProperty("budget") Budget budget,
        @JsonProperty("parallel") Integer parallel) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    /** Keys a sweep sets itself: each candidate's name and directory. */
    private static final List<String> RESERVED = List.of("name", "output", "output.runs_dir");

    @JsonCreator
    static SweepConfig fromYaml(
            @JsonProperty("name") String name,
            @JsonProperty("runs_dir") String runsDir,
            @JsonProperty("base") String base,
            @JsonProperty("set") Map<String, JsonNode> set,
            @JsonProperty("search") Search search,
            @JsonProperty("space") Map<String, Range> space,
            @JsonProperty("objective") Objective objective,
            @JsonProperty("budget") Budget budget,
            @JsonProperty("parallel") Integer parallel) {
        return new SweepConfig(requireNonNullElse(name, "sweep"), requireNonNullElse(runsDir, "runs"), base,
                new LinkedHashMap<>(requireNonNullElse(set, Map.of())),
                requireNonNullElse(search, Search.fromYaml(null, null, null)),
                new LinkedHashMap<>(requireNonNullElse(space, Map.of())),
                requireNonNullElse(objective, Objective.fromYaml(null, null, null)),
                requireNonNullElse(budget, Budget.fromYaml(null, null)), parallel);
    }

    /** How candidates are drawn ({@code search.method}). */
    public enum Method {
        /** Independent draws from every range (Arbiter's {@code RandomSearchGenerator}). */
        RANDOM,
        /** Every combination, continuous ranges at {@code grid_points} values (Arbiter's {@code GridSearchCandidateGenerator}). */
        GRID;

        @JsonValue
        public String id() {
            return ConfigEnums.id(this);
        }

        @JsonCreator
        public static Method of(String text) {
            return ConfigEnums.parse(Method.class, text);
        }
    }

    /**
     * @param method {@code random} (default) or {@code grid}
     * @param seed the random search's seed: the same seed draws the same candidates; default 42
     * @param gridPoints values of each continuous range in a grid (and at most that many of a wide
     *     integer range), ends included ({@code grid_points}); >= 2; default 3
     */
    public record Search(@JsonProperty("method") Method method, @JsonProperty("seed") long seed,
            @JsonProperty("grid_points") int gridPoints) {

        @JsonCreator
        static Search fromYaml(@JsonProperty("method") Method method, @JsonProperty("seed") Long seed,
                @JsonProperty("grid_points") Integer gridPoints) {
            return new Search(requireNonNullElse(method, Method.RANDOM), requireNonNullElse(seed, 42L),
                    requireNonNullElse(gridPoints, 3));
        }
    }

    /** A range's kind ({@code type}). */
    public enum Type {
        /** Real values between {@code min} and {@code max}, uniform or log-uniform. */
        CONTINUOUS,
        /** Whole numbers from {@code min} to {@code max}, both included, uniform. */
        INTEGER,
        /** One of {@code values}. */
        DISCRETE;

        @JsonValue
        public String id() {
            return ConfigEnums.id(this);
        }

        @JsonCreator
        public static Type of(String text) {
            return ConfigEnums.parse(Type.class, text);
        }
    }

    /** How a continuous range is drawn ({@code scale}). */
    public enum Scale {
        /** Uniform between min and max. */
        LINEAR,
        /** Uniform in log(value): as many draws between 1e-4 and 1e-3 as between 1e-3 and 1e-2. */
        LOG;

        @JsonValue
        public String id() {
            return ConfigEnums.id(this);
        }

        @JsonCreator
        public static Scale of(String text) {
            return ConfigEnums.parse(Scale.class, text);
        }
    }

    /**
     * The values one config key takes: {@code {min: 0.1, max: 0.3}}, {@code {min: 1e-4, max: 1e-2,
     * scale: log}}, {@code {min: 3, max: 10, type: integer}} or {@code {values: [pgd-at, trades]}}.
     *
     * @param type {@code continuous}, {@code integer} or {@code discrete}; default {@code discrete}
     *     when {@code values} is given, else {@code continuous}
     * @param min the smallest value (continuous, integer)
     * @param max the largest value (continuous, integer)
     * @param scale {@code linear} (default) or {@code log} (continuous ranges with {@code min > 0})
     * @param values the choices (discrete): numbers, words, lists, whatever the key takes
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Range(@JsonProperty("type") Type type, @JsonProperty("min") Double min,
            @JsonProperty("max") Double max, @JsonProperty("scale") Scale scale,
            @JsonProperty("values") List<JsonNode> values) {

        @JsonCreator
        static Range fromYaml(@JsonProperty("type") Type type, @JsonProperty("min") Double min,
                @JsonProperty("max") Double max, @JsonProperty("scale") Scale scale,
                @JsonProperty("values") List<JsonNode> values) {
            Type kind = type != null ? type : values != null ? Type.DISCRETE : Type.CONTINUOUS;
            return new Range(kind, min, max, scale != null || kind == Type.DISCRETE ? scale : Scale.LINEAR, values);
        }

        /** Whether values are drawn on a log scale. */
        boolean log() {
            return scale == Scale.LOG;
        }

        private void check(String key, List<String> problems) {
            if (type == Type.DISCRETE) {
                if (values == null || values.size() < 2) {
                    problems.add(key + ": a discrete range needs at least two values (a single value belongs under set)");
                }
                if (min != null || max != null || scale != null) {
                    problems.add(key + ": a discrete range takes values only, not min, max or scale");
                }
                return;
            }
            if (values != null) {
                problems.add(key + ": a " + type.id() + " range takes min and max, not values");
            }
            if (min == null || max == null || !Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
                problems.add(key + ": give finite min < max, got min " + min + ", max " + max);
                return;
            }
            if (type == Type.INTEGER && (min != Math.rint(min) || max != Math.rint(max))) {
                problems.add(key + ": an integer range needs whole min and max, got " + min + " and " + max);
            }
            if (log() && type == Type.INTEGER) {
                problems.add(key + ": scale log is for continuous ranges; list the integers under values instead");
            } else if (log() && !(min > 0)) {
                problems.add(key + ": scale log needs min > 0, got " + min);
            }
        }
    }

    /** What the objective scores ({@code objective.metric}). */
    public enum Metric {
        /** The validation robust accuracy. */
        ROBUST,
        /** {@code clean_weight} x clean + (1 - {@code clean_weight}) x robust validation accuracy. */
        WEIGHTED;

        @JsonValue
        public String id() {
            return ConfigEnums.id(this);
        }

        @JsonCreator
        public static Metric of(String text) {
            return ConfigEnums.parse(Metric.class, text);
        }
    }

    /**
     * What the best candidate is. A candidate is scored on the validation accuracies of the epoch it
     * keeps as {@code model-best.zip} (its best robust validation accuracy), never on the test set.
     *
     * @param metric {@code robust} (default) or {@code weighted}
     * @param cleanWeight the weight of clean accuracy in {@code weighted} ({@code clean_weight}); in
     *     [0, 1]; default 0.5
     * @param minClean a constraint for either metric: candidates below this validation clean accuracy
     *     rank after every candidate that meets it ({@code min_clean}); in [0, 1]; default 0 (none)
     */
    public record Objective(@JsonProperty("metric") Metric metric, @JsonProperty("clean_weight") double cleanWeight,
            @JsonProperty("min_clean") double minClean) {

        @JsonCreator
        static Objective fromYaml(@JsonProperty("metric") Metric metric, @JsonProperty("clean_weight") Double cleanWeight,
                @JsonProperty("min_clean") Double minClean) {
            return new Objective(requireNonNullElse(metric, Metric.ROBUST), requireNonNullElse(cleanWeight, 0.5),
                    requireNonNullElse(minClean, 0.0));
        }

        /** The objective of a candidate with these validation accuracies; higher is better. */
        public double score(double clean, double robust) {
            return metric == Metric.ROBUST ? robust : cleanWeight * clean + (1 - cleanWeight) * robust;
        }

        /** Whether a candidate with this validation clean accuracy meets {@code min_clean}. */
        public boolean feasible(double clean) {
            return clean >= minClean;
        }

        /** The objective in words, for reports. */
        public String describe() {
            String what = metric == Metric.ROBUST ? "robust validation accuracy"
                    : String.format("%.2f x clean + %.2f x robust validation accuracy", cleanWeight, 1 - cleanWeight);
            return minClean > 0 ? what + ", with clean validation accuracy >= " + minClean : what;
        }
    }

    /**
     * When the sweep stops starting candidates; a resumed sweep counts the candidates it already has.
     *
     * @param candidates at most this many candidates; 0 = the whole grid (grid search only); >= 0;
     *     default 0
     * @param minutes no candidate starts after this many minutes of this invocation (running ones
     *     finish); 0 = no limit; >= 0; default 0
     */
    public record Budget(@JsonProperty("candidates") int candidates, @JsonProperty("minutes") double minutes) {

        @JsonCreator
        static Budget fromYaml(@JsonProperty("candidates") Integer candidates, @JsonProperty("minutes") Double minutes) {
            return new Budget(requireNonNullElse(candidates, 0), requireNonNullElse(minutes, 0.0));
        }
    }

    /**
     * Reads, overrides and validates a sweep.
     *
     * @param file the YAML file
     * @param overrides {@code key.path=value} strings ({@code --set}); keys of the space contain dots,
     *     so {@code --set} reaches budget, objective, search, set and parallel, not the ranges
     * @throws UserErrorException naming the file or override, the key and the problem
     */
    public static SweepConfig load(Path file, List<String> overrides) {
        SweepConfig sweep = ConfigLoader.bind(file, overrides, SweepConfig.class);
        sweep.validate(file.toString());
        return sweep;
    }

    /**
     * Candidates trained at once when {@code parallel} is not given: one per 8 processors, at most 4,
     * so a small machine trains one at a time and gives it every core.
     */
    public static int autoParallel() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 8));
    }

    /** Candidates trained at the same time: {@code parallel}, else {@link #autoParallel()}. */
    public int candidatesAtOnce() {
        return parallel != null ? parallel : autoParallel();
    }

    /** This sweep with {@code parallel} resolved and {@code base} pointing at {@code base}. */
    SweepConfig resolved(String baseFile) {
        return new SweepConfig(name, runsDir, baseFile, set, search, space, objective, budget,
                candidatesAtOnce());
    }

    /** The sweep as YAML, every key spelled out: saved as the sweep directory's {@code sweep.yaml}. */
    public String toYaml() {
        return "# advtrain resolved sweep: every key with the value this sweep uses; base is the run config"
                + " saved beside it.\n" + ConfigLoader.yaml(this);
    }

    /** Checks every constraint; a user error names the first broken one and counts the others. */
    public void validate(String source) {
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add("name: letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        if (runsDir.isBlank()) {
            problems.add("runs_dir: must not be empty");
        }
        if (space.isEmpty()) {
            problems.add("space: give at least one config key to search over, e.g. adversarial.eps: {min: 0.1, max: 0.3}");
        }
        space.forEach((key, range) -> {
            checkKey("space", key, problems);
            if (range == null) {
                problems.add("space." + key + ": give a range, e.g. {min: 0.1, max: 0.3} or {values: [a, b]}");
            } else {
                range.check("space." + key, problems);
            }
            if (set.containsKey(key)) {
                problems.add("set." + key + ": the key is also in space; a candidate's value comes from one place");
            }
        });
        set.keySet().forEach(key -> checkKey("set", key, problems));
        if (search.gridPoints() < 2) {
            problems.add("search.grid_points: must be >= 2, got " + search.gridPoints());
        }
        if (budget.candidates() < 0) {
            problems.add("budget.candidates: must be >= 0, got " + budget.candidates());
        }
        if (!(budget.minutes() >= 0) || Double.isInfinite(budget.minutes())) {
            problems.add("budget.minutes: must be >= 0 (0 = no limit), got " + budget.minutes());
        }
        if (search.method() == Method.RANDOM && budget.candidates() == 0 && budget.minutes() == 0) {
            problems.add("budget: a random search never runs out of candidates; set budget.candidates or budget.minutes");
        }
        if (!(objective.cleanWeight() >= 0 && objective.cleanWeight() <= 1)) {
            problems.add("objective.clean_weight: must be in [0, 1], got " + objective.cleanWeight());
        }
        if (!(objective.minClean() >= 0 && objective.minClean() <= 1)) {
            problems.add("objective.min_clean: must be in [0, 1], got " + objective.minClean());
        }
        if (parallel != null && parallel < 1) {
            problems.add("parallel: must be >= 1 (leave it out for one per 8 processors), got " + parallel);
        }
        if (!problems.isEmpty()) {
            throw new UserErrorException(source + ": " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
    }

    private static void checkKey(String section, String key, List<String> problems) {
        if (!KEY.matcher(key).matches()) {
            problems.add(section + ": '" + key + "' is not a config key path like adversarial.eps");
        } else if (RESERVED.stream().anyMatch(r -> key.equals(r) || key.startsWith(r + "."))) {
            problems.add(section + "." + key + ": the sweep names each candidate and puts it in its own directory;"
                    + " set runs_dir and name of the sweep instead");
        }
    }
}
