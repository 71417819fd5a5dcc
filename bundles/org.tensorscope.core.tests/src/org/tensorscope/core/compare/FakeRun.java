package org.tensorscope.core.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;

/**
 * A model out = relu(x * w + b) computed in Java, with every op prefixed by a scope so that names
 * can differ between two sides; its session answers fetches from the computed values, refuses the
 * tensors listed as unfetchable the way a backend refuses a tensor of a branch not taken, and counts runs.
 */
final class FakeRun {

    final String scope;
    final float[] x;
    final float[] w;
    final float[] b;
    Set<String> unfetchable = Set.of();
    /** When set, mul has a second output mul:1 holding these values, which no op reads. */
    float[] unread;
    int runs;
    int largestFetch;

    FakeRun(String scope, float[] x, float[] w, float[] b) {
        this.scope = scope;
        this.x = x;
        this.w = w;
        this.b = b;
    }

    String name(String op) {
        return scope + op;
    }

    ModelGraph graph() {
        Shape shape = Shape.of(x.length);
        List<OpNode> ops = new ArrayList<>();
        ops.add(op("x", "Placeholder", OpRole.INPUT, List.of(), shape));
        ops.add(op("w", "Const", OpRole.CONSTANT, List.of(), Shape.of(w.length)));
        ops.add(op("b", "Const", OpRole.CONSTANT, List.of(), Shape.of(b.length)));
        OpNode mul = op("mul", "Mul", OpRole.COMPUTATION, List.of(name("x") + ":0", name("w") + ":0"), shape);
        if (unread != null) {
            List<TensorSpec> outputs = new ArrayList<>(mul.outputs());
            outputs.add(new TensorSpec(name("mul") + ":1", DType.FLOAT32, Shape.of(unread.length)));
            mul = new OpNode(mul.name(), mul.type(), "", Map.of(), mul.inputs(), outputs, OpRole.COMPUTATION);
        }
        ops.add(mul);
        ops.add(op("add", "Add", OpRole.COMPUTATION, List.of(name("mul") + ":0", name("b") + ":0"), shape));
        ops.add(op("out", "Relu", OpRole.COMPUTATION, List.of(name("add") + ":0"), shape));
        Signature signature = new Signature("serving_default",
                List.of(new SignatureTensor("x", new TensorSpec(name("x") + ":0", DType.FLOAT32, shape))),
                List.of(new SignatureTensor("out", new TensorSpec(name("out") + ":0", DType.FLOAT32, shape))));
        List<WeightInfo> weights = List.of(new WeightInfo(name("w"), DType.FLOAT32, Shape.of(w.length), w.length * 4L, -1),
                new WeightInfo(name("b"), DType.FLOAT32, Shape.of(b.length), b.length * 4L, -1));
        return new ModelGraph(Path.of(scope.isEmpty() ? "a.pb" : scope.replace("/", "") + ".pb"), "Fake", ops,
                List.of(signature), weights);
    }

    /** An op with the role a loader would give it. */
    private OpNode op(String name, String type, OpRole role, List<String> inputs, Shape shape) {
        return new OpNode(name(name), type, "", Map.of(), inputs,
                List.of(new TensorSpec(name(name) + ":0", DType.FLOAT32, shape)), role);
    }

    Map<String, TensorData> feeds() {
        return Map.of(name("x") + ":0", TensorData.ofFloats(name("x") + ":0", Shape.of(x.length), x));
    }

    ComparedRun run() {
        ModelGraph graph = graph();
        return new ComparedRun(graph, graph.defaultSignature().orElseThrow(), session(), feeds(), List.of("x = test"));
    }

    Map<String, float[]> values() {
        Map<String, float[]> v = new LinkedHashMap<>();
        float[] mul = new float[x.length];
        float[] add = new float[x.length];
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            mul[i] = x[i] * w[i];
            add[i] = mul[i] + b[i];
            out[i] = Math.max(0, add[i]);
        }
        v.put(name("x") + ":0", x);
        v.put(name("w") + ":0", w);
        v.put(name("b") + ":0", b);
        v.put(name("mul") + ":0", mul);
        if (unread != null) {
            v.put(name("mul") + ":1", unread);
        }
        v.put(name("add") + ":0", add);
        v.put(name("out") + ":0", out);
        return v;
    }

    InferenceSession session() {
        return new FetchOnlySession(tensors -> {
            runs++;
            largestFetch = Math.max(largestFetch, tensors.size());
            Map<String, float[]> values = values();
            Map<String, TensorData> fetched = new LinkedHashMap<>();
            for (String t : tensors) {
                if (unfetchable.contains(t)) {
                    throw new BackendException(t + " was not computed for this input");
                }
                float[] v = values.get(t);
                fetched.put(t, TensorData.ofFloats(t, Shape.of(v.length), v));
            }
            return fetched;
        });
    }
}
