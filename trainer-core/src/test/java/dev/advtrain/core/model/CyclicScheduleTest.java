package dev.advtrain.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.RunConfig;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/** The triangular learning-rate cycle: its shape, and that it survives the model configuration's JSON. */
class CyclicScheduleTest {

    private static final double MAX = 0.2;
    private static final int TOTAL = 100;

    @Test
    void risesLinearlyFromNearZeroToTheMaximumAtThePeakThenFallsLinearlyToNearZero() {
        CyclicSchedule schedule = new CyclicSchedule(MAX, TOTAL, 0.4);
        double rise = MAX / (TOTAL * 0.4);
        double fall = MAX / (TOTAL * 0.6);

        assertEquals(rise / 2, schedule.valueAt(0, 0), 1e-12, "the first step: half a rise step above 0");
        assertEquals(fall / 2, schedule.valueAt(TOTAL - 1, 0), 1e-12, "the last step: half a fall step above 0");
        for (int i = 0; i + 1 < TOTAL; i++) {
            double step = schedule.valueAt(i + 1, 0) - schedule.valueAt(i, 0);
            if (i + 1 < 40) {
                assertEquals(rise, step, 1e-12, "rising step at " + i);
            } else if (i >= 40) {
                assertEquals(-fall, step, 1e-12, "falling step at " + i);
            }
        }
        int top = 0;
        for (int i = 1; i < TOTAL; i++) {
            top = schedule.valueAt(i, 0) > schedule.valueAt(top, 0) ? i : top;
        }
        assertTrue(top == 39 || top == 40, "peak at iteration " + top);
        assertEquals(MAX, schedule.valueAt(top, 0), fall, "the peak");
        assertEquals(schedule.valueAt(7, 0), schedule.valueAt(7, 3), "the epoch does not matter");
        assertEquals(0.0, schedule.valueAt(TOTAL, 0), 1e-12, "after the cycle");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
    void peakOutsideTheOpenUnitIntervalIsRejected(double peak) {
        assertThrows(IllegalArgumentException.class, () -> new CyclicSchedule(MAX, TOTAL, peak));
    }

    @Test
    void modelFactoryBuildsItFromTheConfigAndTheModelConfigurationJsonKeepsIt() {
        RunConfig config = ConfigLoader.load(null, List.of("model.arch=mlp", "training.epochs=3",
                "training.learning_rate=0.05", "training.lr_schedule=cyclic", "training.lr_peak=0.3"), Map.of());
        MultiLayerNetwork network = ModelFactory.build(config.model(), config.training(), 1, 10);
        String json = network.getLayerWiseConfigurations().toJson();

        CyclicSchedule restored = schedule(MultiLayerConfiguration.fromJson(json));
        assertEquals(0.05, restored.getMaxValue());
        assertEquals(30, restored.getTotalIterations());
        assertEquals(0.3, restored.getPeak());
        CyclicSchedule built = schedule(network.getLayerWiseConfigurations());
        for (int i = 0; i < 30; i++) {
            assertEquals(built.valueAt(i, 0), restored.valueAt(i, 0), "iteration " + i);
        }
        assertEquals(built.valueAt(0, 0), network.getLearningRate(0).doubleValue(), 1e-12, "the network's rate at iteration 0");
    }

    private static CyclicSchedule schedule(MultiLayerConfiguration configuration) {
        BaseLayer layer = (BaseLayer) configuration.getConf(0).getLayer();
        ISchedule schedule = ((Adam) layer.getIUpdater()).getLearningRateSchedule();
        return assertInstanceOf(CyclicSchedule.class, schedule);
    }
}
