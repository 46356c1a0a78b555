package dev.advtrain.attacks.testing;

import dev.advtrain.attacks.Classifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier that records every row it is asked about, in order, to check the query counts
 * black-box attacks report: every row a {@code predict} call receives is one query.
 */
public final class CountingClassifier implements Classifier {

    private final Classifier model;
    private final List<double[]> queried = new ArrayList<>();

    public CountingClassifier(Classifier model) {
        this.model = model;
    }

    @Override
    public INDArray predict(INDArray x) {
        double[][] rows = x.reshape('c', x.size(0), x.length() / x.size(0)).castTo(DataType.DOUBLE).toDoubleMatrix();
        Collections.addAll(queried, rows);
        return model.predict(x);
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    /** Rows predicted so far. */
    public long rows() {
        return queried.size();
    }

    /** The rows predicted so far, flattened, in the order they were asked about. */
    public List<double[]> queried() {
        return Collections.unmodifiableList(queried);
    }
}
