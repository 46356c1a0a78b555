package dev.advtrain.core.sweep;

import dev.advtrain.core.Progress;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hyperparameter sweep from its config to its results table, run by Arbiter: its random or grid
 * candidate generator draws values over the {@link ConfigSpace}, its {@link LocalOptimizationRunner}
 * trains up to {@code parallel} candidates at a time through {@link CandidateTrainer}, and stops when
 * the candidate budget is drawn (or the grid is done) or the time budget is spent.
 *
 * <p>The sweep directory ({@code <runs_dir>/<name>}, never an existing one) holds {@code sweep.yaml}
 * and {@code base.yaml} (the resolved sweep and base run config: a resume needs nothing else), one
 * run directory per candidate under {@code candidates/}, and the {@link SweepResults} files.
 *
 * <pre>{@code
 * Sweep.Outcome outcome = Sweep.start(Path.of("configs/sweep-mnist-tiny.yaml"), List.of(), System.getenv())
 *         .execute(Progress.logging());
 * }</pre>
 */
public final class Sweep {

    private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);

    static final String SWEEP_FILE = "sweep.yaml";
    static final String BASE_FILE = "base.yaml";

    /** The keys {@code --set} may change when a sweep is resumed: its budget and parallelism. */
    private static final List<String> RESUMABLE_KEYS = List.of("budget.candidates", "budget.minutes", "parallel");

    private final Path dir;
    private final SweepConfig sweep;

    private Sweep(Path dir, SweepConfig sweep) {
        this.dir = dir;
        this.sweep = sweep;
    }

    /**
     * A new sweep: {@link #plan plans} it, then creates the sweep directory with the resolved {@code
     * sweep.yaml} and {@code base.yaml}.
     *
     * @param env environment lookup for the base config ({@code ADVTRAIN_DATA_DIR})
     * @throws UserErrorException naming the file, the key and the problem
     */
    public static Sweep start(Path file, List<String> overrides, Map<String, String> env) {
        Plan plan = plan(file, overrides, env);
        Path dir = RunDirectory.createNew(Path.of(plan.sweep().runsDir()), plan.sweep().name());
        RunDirectory.writeString(dir.resolve(BASE_FILE), plan.base().toYaml());
        SweepConfig resolved = plan.sweep().resolved(BASE_FILE);
        RunDirectory.writeString(dir.resolve(SWEEP_FILE), resolved.toYaml());
        return new Sweep(dir, resolved);
    }

    /**
     * A sweep file read and checked, nothing written yet.
     *
     * @param base the base run config, resolved (without the sweep's {@code set})
     */
    public record Plan(SweepConfig sweep, RunConfig base) {
    }

    /**
     * Reads a sweep file and its base config, and checks every key of {@code set} and {@code space}
     * against the run config: unknown keys and wrong types fail here, not in a candidate.
     *
     * @throws UserErrorException naming the file, the key and the problem
     */
    public static Plan plan(Path file, List<String> overrides, Map<String, String> env) {
        SweepConfig sweep = SweepConfig.load(file, overrides);
        Path baseFile = sweep.base() == null ? null : file.toAbsolutePath().getParent().resolve(sweep.base());
        RunConfig base;
        try {
            base = ConfigLoader.load(baseFile, List.of(), env);
        } catch (UserErrorException e) {
            throw new UserErrorException(file + ": base: " + e.getMessage(), e);
        }
        check(file, sweep, baseFile, env);
        return new Plan(sweep, base);
    }

    /**
     * Continues a sweep that was stopped (or extends a finished one): candidates with a row in its
     * table are not trained again, one stopped part way resumes from its last checkpoint, and the
     * budget may be raised with {@code --set budget.candidates=N}.
     *
     * @param overrides {@code --set} strings; only budget.candidates, budget.minutes and parallel may change
     */
    public static Sweep resume(Path dir, List<String> overrides) {
        Path file = dir.resolve(SWEEP_FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserErrorException(dir + " is not an advtrain sweep directory (no " + SWEEP_FILE + ")");
        }
        for (String o : overrides) {
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')).strip() : o;
            if (!RESUMABLE_KEYS.contains(key)) {
                throw new UserErrorException("--set " + o + ": a resumed sweep keeps its search; only "
                        + String.join(", ", RESUMABLE_KEYS) + " may change");
            }
        }
        SweepConfig sweep = SweepConfig.load(file, overrides);
        if (!overrides.isEmpty()) {
            RunDirectory.writeString(file, sweep.toYaml());
        }
        return new Sweep(dir, sweep);
    }

    /** Checks what a candidate would otherwise find out only when it runs. */
    private static void check(Path file, SweepConfig sweep, Path baseFile, Map<String, String> env) {
        List<String> fixed = new ArrayList<>();
        sweep.set().forEach((key, value) -> fixed.add(ConfigSpace.override(key, value)));
        RunConfig withSet;
        try {
            withSet = ConfigLoader.load(baseFile, fixed, env);
        } catch (UserErrorException e) {
            throw new UserErrorException(file + ": set: " + e.getMessage(), e);
        }
        for (Map.Entry<String, SweepConfig.Range> entry : sweep.space().entrySet()) {
            for (Object sample : samples(entry.getValue())) {
                List<String> overrides = new ArrayList<>(fixed);
                overrides.add(ConfigSpace.override(entry.getKey(), sample));
                try {
                    ConfigLoader.bind(baseFile, overrides, RunConfig.class);
                } catch (UserErrorException e) {
                    throw new UserErrorException(file + ": space." + entry.getKey() + ": " + e.getMessage()
                            + hint(entry.getValue()), e);
                }
            }
        }
        boolean spark = withSet.distributed().enabled() || sweep.space().keySet().stream().anyMatch(k -> k.startsWith("distributed"));
        if (spark && sweep.candidatesAtOnce() > 1) {
            throw new UserErrorException(file + ": parallel: candidates that train on Spark (distributed.master) run one"
                    + " at a time, since a JVM holds one Spark context; set parallel: 1");
        }
        if (withSet.data().validationSize() == 0 && !sweep.space().containsKey("data.validation_size")) {
            throw new UserErrorException(file + ": candidates are scored on validation accuracy, and the base"
                    + " config has data.validation_size 0; set it above 0 (e.g. under set:)");
        }
    }

    /** Values that show whether a range fits its key: each discrete value, or the ends of a range. */
    private static List<Object> samples(SweepConfig.Range range) {
        return switch (range.type()) {
            case DISCRETE -> List.copyOf(ConfigSpace.choices(range));
            case INTEGER -> List.of((int) Math.rint(range.min()), (int) Math.rint(range.max()));
            case CONTINUOUS -> List.of(range.min(), range.max());
        };
    }

    private static String hint(SweepConfig.Range range) {
        return range.type() == SweepConfig.Type.CONTINUOUS ? " (for a whole-number key, add type: integer)" : "";
    }

    /** The sweep directory. */
    public Path directory() {
        return dir;
    }

    /** The resolved sweep. */
    public SweepConfig config() {
        return sweep;
    }

    /**
     * What a sweep found.
     *
     * @param ranked every candidate with a row, best first
     * @param best the best finished candidate that meets min_clean, if any
     * @param paretoFront the finished candidates on the Pareto front of clean and robust validation accuracy
     * @param seconds wall time of this invocation
     */
    public record Outcome(Path directory, List<CandidateResult> ranked, Optional<CandidateResult> best,
            List<CandidateResult> paretoFront, double seconds) {

        /** The results table as CSV. */
        public Path table() {
            return directory.resolve(SweepResults.CSV_FILE);
        }

        /** The best candidate's config, ready for {@code advtrain train --config}. */
        public Path bestConfig() {
            return directory.resolve(SweepResults.BEST_CONFIG_FILE);
        }

        /** The chart of clean against robust validation accuracy. */
        public Path chart() {
            return directory.resolve(SweepResults.CHART_FILE);
        }
    }

    /**
     * Runs the candidates the budget allows (those a resumed sweep already has count, and are not
     * run again) and returns the table.
     *
     * @param progress what each candidate's training reports to when candidates run one at a time;
     *     parallel candidates log their epochs only
     */
    public Outcome execute(Progress progress) {
        long started = System.nanoTime();
        String base = ConfigLoader.load(dir.resolve(sweep.base()), List.of(), Map.of()).output().runsDir();
        SweepResults results = SweepResults.open(dir, sweep, base);
        ConfigSpace space = new ConfigSpace(sweep.space());
        CandidateGenerator generator = switch (sweep.search().method()) {
            case RANDOM -> new RandomSearchGenerator(space, null);
            case GRID -> new GridSearchCandidateGenerator(space, sweep.search().gridPoints(),
                    GridSearchCandidateGenerator.Mode.Sequential, null);
        };
        int planned = planned(generator);
        BudgetedGenerator budgeted = new BudgetedGenerator(generator, planned);
        List<TerminationCondition> stops = new ArrayList<>(List.of(new AllEnded(budgeted)));
        if (sweep.budget().minutes() > 0) {
            stops.add(new MaxTimeCondition(Math.round(sweep.budget().minutes() * 60), TimeUnit.SECONDS));
        }
        OptimizationConfiguration configuration = new OptimizationConfiguration.Builder()
                .candidateGenerator(budgeted)
                .scoreFunction(new ObjectiveScore())
                .terminationConditions(stops)
                .rngSeed(sweep.search().seed())
                .build();
        int parallel = sweep.candidatesAtOnce();
        LOG.info("Sweep {}: {} search over {}, {} candidate{}, {} at a time ({} ND4J threads each), best by {}", dir,
                sweep.search().method().id(), String.join(", ", sweep.space().keySet()),
                planned == Integer.MAX_VALUE ? "as many" : String.valueOf(planned), planned == 1 ? "" : "s", parallel,
                Math.max(1, Nd4j.getEnvironment().maxThreads() / parallel), sweep.objective().describe());
        CandidateTrainer trainer = new CandidateTrainer(dir, sweep, results, parallel == 1 ? progress : Progress.none(),
                planned);
        LocalOptimizationRunner runner = new LocalOptimizationRunner(parallel, configuration, trainer);
        // ND4J's native threads are shared by the JVM: split them between parallel candidates.
        Environment nd4j = Nd4j.getEnvironment();
        int threads = nd4j.maxThreads();
        nd4j.setMaxThreads(Math.max(1, threads / parallel));
        try {
            runner.execute();
        } finally {
            nd4j.setMaxThreads(threads);
        }
        List<CandidateResult> ranked = results.ranked();
        return new Outcome(dir, ranked, results.best(), SweepResults.paretoFront(ranked),
                (System.nanoTime() - started) / 1e9);
    }

    /** The candidates to draw: the budget, within the grid's size for a grid search. */
    private int planned(CandidateGenerator generator) {
        int budget = sweep.budget().candidates();
        if (generator instanceof GridSearchCandidateGenerator grid) {
            return budget > 0 ? Math.min(budget, grid.getTotalNumCandidates()) : grid.getTotalNumCandidates();
        }
        return budget > 0 ? budget : Integer.MAX_VALUE;
    }

    /** Ends the sweep when the generator has drawn its last candidate and every drawn one has ended. */
    private record AllEnded(BudgetedGenerator generator) implements TerminationCondition {

        @Override
        public void initialize(IOptimizationRunner runner) {
        }

        @Override
        public boolean terminate(IOptimizationRunner runner) {
            return !generator.hasMoreCandidates() && runner.numCandidatesQueued() == 0;
        }
    }
}
