package org.tensorscope.core.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;

/** The graph the worker process sends back keeps what the loader said about each op. */
class WireGraphTest {

    private static OpNode op(String name, String type, OpRole role, String canonicalType, String... inputs) {
        return new OpNode(name, type, "", Map.of(), List.of(inputs),
                List.of(new TensorSpec(name + ":0", DType.FLOAT32, Shape.of(2))), role, canonicalType);
    }

    @Test
    void rolesAndCanonicalTypesCrossTheWire() throws Exception {
        List<OpNode> ops = List.of(op("x", "Feed", OpRole.INPUT, ""), op("w", "Param", OpRole.WEIGHT, ""),
                op("c", "Literal", OpRole.CONSTANT, "Const"), op("k", "Choose", OpRole.CONTROL_FLOW, "", "x:0"),
                op("y", "Conv", OpRole.COMPUTATION, "Conv2D", "x:0", "w:0"));
        ModelGraph sent = new ModelGraph(Path.of("m.model"), "test", ops, List.of(), List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Wire.writeGraph(out, sent);
        }
        ModelGraph received = Wire.readGraph(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(ops, received.ops());
    }
}
