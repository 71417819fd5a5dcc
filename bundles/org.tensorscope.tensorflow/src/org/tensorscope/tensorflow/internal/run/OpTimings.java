package org.tensorscope.tensorflow.internal.run;

import java.util.HashMap;
import java.util.Map;

import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorscope.tensorflow.internal.TensorFlowRuntime;

/**
 * Where each op ran and how long it took, from a run's metadata (RunOptions FULL_TRACE).
 */
final class OpTimings {

    private final Map<String, String> devices = new HashMap<>();
    private final Map<String, Long> micros = new HashMap<>();

    OpTimings(RunMetadata metadata) {
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
        return devices.getOrDefault(op, "");
    }

    long micros(String op) {
        return micros.getOrDefault(op, -1L);
    }

}
