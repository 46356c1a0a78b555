package dev.advtrain.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;

class BackendCheckTest {

    private static Properties cuda(String name, int major, int minor) {
        Properties env = new Properties();
        env.put(Nd4jEnvironment.BACKEND_KEY, "CUDA");
        env.put(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY, List.of(Map.of(
                Nd4jEnvironment.CUDA_DEVICE_NAME_KEY, name,
                Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY, major,
                Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY, minor)));
        return env;
    }

    @Test
    void hopperIsReportedAsUnsupported() {
        List<String> problems = BackendCheck.unsupportedDevices(cuda("NVIDIA H100 80GB HBM3", 9, 0));
        assertEquals(List.of("GPU 'NVIDIA H100 80GB HBM3' has compute capability 9.0 (Hopper)"), problems);
    }

    @Test
    void amperePascalAndAdaAreSupported() {
        assertTrue(BackendCheck.unsupportedDevices(cuda("NVIDIA A100", 8, 0)).isEmpty());
        assertTrue(BackendCheck.unsupportedDevices(cuda("Tesla P100", 6, 0)).isEmpty());
        assertTrue(BackendCheck.unsupportedDevices(cuda("NVIDIA L4", 8, 9)).isEmpty());
        assertEquals(1, BackendCheck.unsupportedDevices(cuda("Tesla K10", 3, 0)).size());
    }

    @Test
    void thisMachinesBackendPasses() {
        String description = BackendCheck.requireSupported();
        assertTrue(description.startsWith("ND4J backend "), description);
    }
}
