package dev.advtrain.core.sweep;

import dev.advtrain.core.Progress;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.run.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arbiter's {@link TaskCreator} for a sweep: a candidate becomes an ordinary training run in {@code
 * <sweep>/candidates/candidate-NNN} (the base config, the sweep's {@code set}, then the candidate's
 * values), and its row goes into the {@link SweepResults} table. A candidate with a row already (a
 * resumed sweep) is not trained again; one whose directory exists without a row was stopped part
 * way and resumes from its last checkpoint. A failure (invalid combination, divergence) becomes a
 * failed row with its reason, and the sweep goes on.
 */
final class CandidateTrainer implements TaskCreator {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateTrainer.class);

    private final Path sweepDir;
    private final SweepConfig sweep;
    private final SweepResults results;
    private final Progress progress;
    private final String planned;

    /**
     * @param planned how many candidates the sweep plans, for log lines ("candidate 3 of 8")
     * @param progress what each candidate's training reports to
     */
    CandidateTrainer(Path sweepDir, SweepConfig sweep, SweepResults results, Progress progress, int planned) {
        this.sweepDir = sweepDir;
        this.sweep = sweep;
        this.results = results;
        this.progress = progress;
        this.planned = planned == Integer.MAX_VALUE ? "" : " of " + planned;
    }

    /** The run directory of candidate {@code number}, relative to the sweep directory. */
    static String directory(int number) {
        return "candidates/" + String.format("candidate-%03d", number);
    }

    /**
     * The resolved run config of a candidate: the sweep's base config, its {@code set}, the
     * candidate's values, and its name and directory.
     *
     * @throws UserErrorException {@code invalid config: } and what is wrong, if the combination is not a valid config
     */
    static RunConfig config(Path sweepDir, SweepConfig sweep, int number, Map<String, Object> values) {
        List<String> overrides = new ArrayList<>();
        sweep.set().forEach((key, value) -> overrides.add(ConfigSpace.override(key, value)));
        values.forEach((key, value) -> overrides.add(ConfigSpace.override(key, value)));
        Path run = sweepDir.resolve(directory(number));
        overrides.add(ConfigSpace.override("name", run.getFileName().toString()));
        overrides.add(ConfigSpace.override("output.runs_dir", run.getParent().toString()));
        try {
            return ConfigLoader.load(sweepDir.resolve(sweep.base()), overrides, Map.of());
        } catch (UserErrorException e) {
            // The loader blames "--set key=value"; here the value came from the sweep.
            throw new UserErrorException("invalid config: " + e.getMessage().replaceAll("(^|; )--set ", "$1"), e);
        }
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
            ScoreFunction scoreFunction, List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> train(candidate, scoreFunction);
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
            Properties dataSourceProperties, ScoreFunction scoreFunction, List<StatusListener> statusListeners,
            IOptimizationRunner runner) {
        return () -> train(candidate, scoreFunction);
    }

    @SuppressWarnings("unchecked")
    private OptimizationResult train(Candidate<?> candidate, ScoreFunction scoreFunction) {
        long started = System.currentTimeMillis();
        int number = candidate.getIndex() + 1;
        Map<String, Object> values = (Map<String, Object>) candidate.getValue();
        CandidateResult row = results.get(number).map(previous -> reuse(previous, values))
                .orElseGet(() -> run(number, values));
        boolean finished = row.status() == CandidateResult.Status.FINISHED;
        Double score = finished ? scoreFunction.score(row, (DataProvider) null, null) : null;
        CandidateInfo info = new CandidateInfo(candidate.getIndex(), finished ? CandidateStatus.Complete
                : CandidateStatus.Failed, score, started, started, System.currentTimeMillis(),
                candidate.getFlatParameters(), row.reason());
        return new OptimizationResult(candidate, score, candidate.getIndex(), row, info, null);
    }

    private CandidateResult reuse(CandidateResult previous, Map<String, Object> values) {
        if (!ConfigSpace.json(previous.values()).equals(ConfigSpace.json(values))) {
            LOG.warn("Candidate {} was drawn as {} before and as {} now (was sweep.yaml edited?); keeping its result",
                    previous.candidate(), CandidateResult.describe(previous.values()), CandidateResult.describe(values));
        }
        LOG.info("Candidate {}{}: {} before, not run again", previous.candidate(), planned, previous.status().id());
        return previous;
    }

    private CandidateResult run(int number, Map<String, Object> values) {
        String relative = directory(number);
        Path dir = sweepDir.resolve(relative);
        long started = System.nanoTime();
        CandidateResult row;
        try {
            boolean resumed = Files.isDirectory(dir);
            TrainingRun run = resumed ? TrainingRun.resume(dir) : TrainingRun.start(config(sweepDir, sweep, number, values));
            LOG.info("Candidate {}{}: {}{}", number, planned, CandidateResult.describe(values),
                    resumed ? ", continuing in its run directory" : "");
            row = CandidateResult.finished(number, values, run.execute(progress), sweep.objective(), relative);
            LOG.info(String.format("Candidate %d%s finished: score %.4f (validation clean %.4f, robust %.4f)%s",
                    number, planned, row.score(), row.valCleanAcc(), row.valRobustAcc(),
                    row.feasible() ? "" : ", below objective.min_clean"));
        } catch (UserErrorException | IllegalStateException e) {
            row = failed(number, values, dir, relative, e.getMessage(), started);
        } catch (RuntimeException e) {
            LOG.warn("Candidate {} failed unexpectedly", number, e);
            row = failed(number, values, dir, relative, e.toString(), started);
        }
        results.record(row);
        results.best().ifPresent(best -> LOG.info(String.format("Best so far: candidate %d, score %.4f (%s)",
                best.candidate(), best.score(), best.valuesText())));
        return row;
    }

    private static CandidateResult failed(int number, Map<String, Object> values, Path dir, String relative,
            String reason, long started) {
        LOG.warn("Candidate {} failed: {}", number, reason);
        return CandidateResult.failed(number, values, Files.isDirectory(dir) ? relative : null, reason,
                (System.nanoTime() - started) / 1e9);
    }
}
