package dev.advtrain.core.train.loss;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Runs each test with ND4J's global default data types set to float64, and restores them after. */
abstract class DoublePrecisionTest {

    private DataType savedDefault;
    private DataType savedFloatingPoint;

    @BeforeEach
    void useDoublePrecision() {
        savedDefault = Nd4j.dataType();
        savedFloatingPoint = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restoreDataTypes() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloatingPoint);
    }
}
