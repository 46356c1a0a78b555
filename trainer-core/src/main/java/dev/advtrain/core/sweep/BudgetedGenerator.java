package dev.advtrain.core.sweep;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * An Arbiter {@link CandidateGenerator} that stops after {@code limit} candidates. Arbiter's own
 * {@code MaxCandidatesCondition} counts ended candidates, so with several in parallel it starts one
 * more than asked for before it stops; counting the drawn ones keeps the budget exact.
 */
final class BudgetedGenerator implements CandidateGenerator {

    private final CandidateGenerator inner;
    private final int limit;
    private int drawn;

    BudgetedGenerator(CandidateGenerator inner, int limit) {
        this.inner = inner;
        this.limit = limit;
    }

    @Override
    public synchronized boolean hasMoreCandidates() {
        return drawn < limit && inner.hasMoreCandidates();
    }

    @Override
    public synchronized Candidate getCandidate() {
        drawn++;
        return inner.getCandidate();
    }

    @Override
    public void reportResults(OptimizationResult result) {
        inner.reportResults(result);
    }

    @Override
    public ParameterSpace<?> getParameterSpace() {
        return inner.getParameterSpace();
    }

    @Override
    public void setRngSeed(long rngSeed) {
        inner.setRngSeed(rngSeed);
    }

    @Override
    public Class<?> getCandidateType() {
        return inner.getCandidateType();
    }
}
