package org.tensorscope.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One op of a model graph.
 *
 * @param name          unique name, with its name scope ("block1/conv/Conv2D")
 * @param type          op type as the model's format names it ("Conv2D", "Conv"), shown to users
 * @param device        requested device, empty when unplaced
 * @param attributes    readable attribute summary, attribute name to value text
 * @param inputs        input tensor names ("op:k"), without control inputs
 * @param outputs       output tensors
 * @param role          what the op is to the model, set by the loader
 * @param canonicalType what the op computes in core's vocabulary, TensorFlow's op names ("Conv2D" for an ONNX
 *                      Conv), which the cause rules and fix patterns match; empty when no TensorFlow op computes
 *                      the same. A loader of another format maps its ops onto it, so core knows no format's names.
 */
public record OpNode(String name, String type, String device, Map<String, String> attributes,
        List<String> inputs, List<TensorSpec> outputs, OpRole role, String canonicalType) {

    public OpNode {
        attributes = Map.copyOf(attributes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(canonicalType, "canonicalType");
    }

    /** A computation whose type is already in core's vocabulary (a TensorFlow op). */
    public OpNode(String name, String type, String device, Map<String, String> attributes, List<String> inputs,
            List<TensorSpec> outputs) {
        this(name, type, device, attributes, inputs, outputs, OpRole.COMPUTATION, type);
    }

    /** A TensorFlow op (its type is core's vocabulary) with the given role. */
    public OpNode(String name, String type, String device, Map<String, String> attributes, List<String> inputs,
            List<TensorSpec> outputs, OpRole role) {
        this(name, type, device, attributes, inputs, outputs, role, type);
    }

    /** Whether the op computes the TensorFlow op of one of these types. */
    public boolean computes(Set<String> canonicalTypes) {
        return canonicalTypes.contains(canonicalType);
    }

    /** Whether the op computes the TensorFlow op of this type. */
    public boolean computes(String canonicalType) {
        return this.canonicalType.equals(canonicalType);
    }

    /** The name scope of this op ("block1/conv"), empty at the top level. */
    public String scope() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
