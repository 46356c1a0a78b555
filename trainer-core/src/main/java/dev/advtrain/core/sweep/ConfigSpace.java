package dev.advtrain.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

/**
 * A sweep's search space as one Arbiter {@link ParameterSpace}: one leaf per config key ({@link
 * ContinuousParameterSpace}, log-uniform through {@link LogUniformDistribution}, {@link
 * IntegerParameterSpace} or {@link DiscreteParameterSpace}), and a candidate's value is the map from
 * each key to its value, in the order of the sweep file. Arbiter's generators draw the numbers in
 * [0, 1] that the leaves turn into values.
 */
final class ConfigSpace implements ParameterSpace<Map<String, Object>> {

    private static final JsonMapper JSON = new JsonMapper();

    private final Map<String, ParameterSpace<?>> leaves = new LinkedHashMap<>();

    ConfigSpace(Map<String, SweepConfig.Range> space) {
        space.forEach((key, range) -> leaves.put(key, leaf(range)));
    }

    private static ParameterSpace<?> leaf(SweepConfig.Range range) {
        return switch (range.type()) {
            case CONTINUOUS -> new ContinuousParameterSpace(range.log()
                    ? new LogUniformDistribution(range.min(), range.max())
                    : new UniformRealDistribution(range.min(), range.max()));
            case INTEGER -> new IntegerParameterSpace((int) Math.rint(range.min()), (int) Math.rint(range.max()));
            case DISCRETE -> new DiscreteParameterSpace<>(choices(range));
        };
    }

    /** A discrete range's values as plain serializable Java (numbers, strings, booleans, lists, maps), as Arbiter needs. */
    static List<Serializable> choices(SweepConfig.Range range) {
        return range.values().stream().map(ConfigSpace::plain).toList();
    }

    private static Serializable plain(JsonNode node) {
        try {
            Object value = JSON.treeToValue(node, Object.class);
            return value instanceof Serializable s ? s : node.toString();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The {@code --set}-style override that gives {@code key} its {@code value}: the value written
     * as JSON, which is YAML, so numbers, words, lists and maps all round-trip.
     */
    static String override(String key, Object value) {
        return key + "=" + json(value);
    }

    /** A value as JSON: {@code 0.25}, {@code "pgd-at"}, {@code [2,4]}. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, Object> getValue(double[] parameterValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        leaves.forEach((key, leaf) -> values.put(key, leaf.getValue(parameterValues)));
        return values;
    }

    @Override
    public int numParameters() {
        return leaves.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> all = new ArrayList<>();
        leaves.values().forEach(leaf -> all.addAll(leaf.collectLeaves()));
        return all;
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return new LinkedHashMap<String, ParameterSpace>(leaves);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("ConfigSpace is not a leaf; Arbiter indexes its leaves");
    }
}
