package dev.advtrain.core.sweep;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

/**
 * The sweep's objective as Arbiter's {@link ScoreFunction}, which its runner uses to track the best
 * candidate. The "model" it scores is a finished {@link CandidateResult} (the run has already been
 * validated); a candidate below {@code objective.min_clean} is penalised by 1, so every candidate
 * that meets it scores higher than every one that does not.
 */
final class ObjectiveScore implements ScoreFunction {

    @Override
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        CandidateResult result = (CandidateResult) model;
        return result.feasible() ? result.score() : result.score() - 1;
    }

    @Override
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        return score(model, (DataProvider) null, null);
    }

    @Override
    public boolean minimize() {
        return false;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(CandidateResult.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of();
    }
}
