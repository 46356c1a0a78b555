package dev.advtrain.attacks.testing;

import dev.advtrain.attacks.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier that counts the rows it is asked about, to check the query counts black-box attacks
 * report: every row a {@code predict} call receives is one query.
 */
public final class CountingClassifier implements Classifier {

    private final Classifier model;
    private long rows;

    public CountingClassifier(Classifier model) {
        this.model = model;
    }

    @Override
    public INDArray predict(INDArray x) {
        rows += x.size(0);
        return model.predict(x);
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    /** Rows predicted so far. */
    public long rows() {
        return rows;
    }
}
