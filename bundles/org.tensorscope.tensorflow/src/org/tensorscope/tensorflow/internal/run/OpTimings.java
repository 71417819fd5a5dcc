package org.tensorscope.tensorflow.internal.run;

import java.util.HashMap;
import java.util.Map;

import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorscope.tensorflow.internal.TensorFlowRuntime;

/**
 * Where each op ran and how long it took, from a run's metadata (RunOptions FULL_TRACE). Tracing costs
 * about a third of a run, so health passes measure op times only when asked: environment variable
 * {@value #VARIABLE} or system property {@value #PROPERTY} set to {@code true} (or {@code 1}).
 */
final class OpTimings {

    static final String VARIABLE = "TENSORSCOPE_OP_TIMINGS";
    static final String PROPERTY = "tensorscope.opTimings";

    private final Map<String, String> devices = new HashMap<>();
    private final Map<String, Long> micros = new HashMap<>();
    /** The device of ops the metadata does not name (all of them when not measured). */
    private final String defaultDevice;

    /** No times; every op on the given device ("" when unknown). */
    static OpTimings notMeasured(String device) {
        return new OpTimings(RunMetadata.getDefaultInstance(), device);
    }

    static boolean requested() {
        String value = System.getProperty(PROPERTY, System.getenv(VARIABLE));
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1"));
    }

    OpTimings(RunMetadata metadata) {
        this(metadata, "");
    }

    private OpTimings(RunMetadata metadata, String defaultDevice) {
        this.defaultDevice = defaultDevice;
        for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
            String deviceName = TensorFlowRuntime.shortName(device.getDevice());
            for (NodeExecStats node : device.getNodeStatsList()) {
                // grappler may rename fused nodes; the trace only knows the model's own op names
                devices.putIfAbsent(node.getNodeName(), deviceName);
                micros.merge(node.getNodeName(), node.getAllEndRelMicros(), Long::sum);
            }
        }
    }

    String device(String op) {
        return devices.getOrDefault(op, defaultDevice);
    }

    long micros(String op) {
        return micros.getOrDefault(op, -1L);
    }

}
