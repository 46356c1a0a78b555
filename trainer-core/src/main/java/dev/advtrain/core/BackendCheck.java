package dev.advtrain.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks, before any work, that the ND4J backend can run on this machine, so that an unsupported
 * GPU gets one clear line instead of a crash deep inside ND4J.
 *
 * <p>The released {@code nd4j-cuda-11.6} 1.0.0-M2.1 carries machine code for compute capability
 * 3.7 to 8.6 (sm_37 ... sm_86, which also runs on 8.9) and no PTX, so it cannot load its kernels on
 * Hopper (9.0: H100, H200) or newer: "no kernel image is available for execution on the device".
 */
public final class BackendCheck {

    /** Lowest and highest compute capability (major * 10 + minor) the CUDA build runs on. */
    static final int MIN_CAPABILITY = 37;
    static final int MAX_CAPABILITY = 89;

    private BackendCheck() {
    }

    /** Throws a {@link UserErrorException} if the backend cannot run here; returns a one-line description otherwise. */
    public static String requireSupported() {
        Properties env;
        try {
            env = Nd4j.getExecutioner().getEnvironmentInformation();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new UserErrorException("the ND4J backend failed to start (" + e.getMessage() + ")"
                    + (String.valueOf(e.getMessage()).contains("kernel image") ? ": " + CPU_HINT : ""), e);
        }
        List<String> unsupported = unsupportedDevices(env);
        if (!unsupported.isEmpty()) {
            throw new UserErrorException(String.join("; ", unsupported) + ": " + CPU_HINT);
        }
        return describe(env);
    }

    private static final String CPU_HINT = "the ND4J 1.0.0-M2.1 CUDA build runs on compute capability 3.7 to 8.9"
            + " (Kepler to Ada) only; use the CPU backend (build without -Pcuda: mvn -B -q -DskipTests install)";

    /** One message per CUDA device this backend cannot run on; empty on CPU. */
    static List<String> unsupportedDevices(Properties env) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> device : devices(env)) {
            int major = ((Number) device.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY)).intValue();
            int minor = ((Number) device.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY)).intValue();
            int capability = major * 10 + minor;
            if (capability < MIN_CAPABILITY || capability > MAX_CAPABILITY) {
                problems.add(String.format("GPU '%s' has compute capability %d.%d%s", device.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY),
                        major, minor, major == 9 ? " (Hopper)" : ""));
            }
        }
        return problems;
    }

    /** E.g. "ND4J backend CPU" or "ND4J backend CUDA: NVIDIA A100 (8.0)". */
    static String describe(Properties env) {
        StringBuilder text = new StringBuilder("ND4J backend ").append(env.getOrDefault(Nd4jEnvironment.BACKEND_KEY, "unknown"));
        List<Map<String, Object>> devices = devices(env);
        for (int i = 0; i < devices.size(); i++) {
            Map<String, Object> d = devices.get(i);
            text.append(i == 0 ? ": " : ", ").append(d.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY)).append(" (")
                    .append(d.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY)).append('.')
                    .append(d.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY)).append(')');
        }
        return text.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> devices(Properties env) {
        Object devices = env.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
        return devices instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }
}
