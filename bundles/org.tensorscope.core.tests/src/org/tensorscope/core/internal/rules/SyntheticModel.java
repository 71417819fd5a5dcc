package org.tensorscope.core.internal.rules;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;

/**
 * A model whose every op's value is given up front, served by a fake {@link InferenceSession}:
 * drives {@link NanTracer} and the cause rules over synthetic tensors with no native runtime.
 */
final class SyntheticModel implements InferenceSession {

    private final List<OpNode> ops = new ArrayList<>();
    private final Map<String, TensorData> values = new LinkedHashMap<>();
    private String format = "test";

    /** The model's format as a loader names it, e.g. "TF.js graph model". */
    SyntheticModel format(String name) {
        this.format = name;
        return this;
    }

    /** A constant (a weight): its value is its own. */
    SyntheticModel constant(String name, TensorData value) {
        return op(name, "Const", OpRole.CONSTANT, "Const", Map.of(), value);
    }

    /** An op with the value it computes from its inputs (named by op). */
    SyntheticModel op(String name, String type, Map<String, String> attributes, TensorData value, String... inputs) {
        return op(name, type, OpRole.COMPUTATION, type, attributes, value, inputs);
    }

    /**
     * An op of a format core does not know: its type is shown, its role and canonical type are what its loader
     * would tell core.
     */
    SyntheticModel op(String name, String type, OpRole role, String canonicalType, Map<String, String> attributes,
            TensorData value, String... inputs) {
        List<String> inputTensors = java.util.Arrays.stream(inputs).map(i -> i + ":0").toList();
        ops.add(new OpNode(name, type, "", attributes, inputTensors,
                List.of(new TensorSpec(name + ":0", value.dtype(), value.shape())), role, canonicalType));
        values.put(name + ":0", new TensorData(name + ":0", value.dtype(), value.shape(), value.bytes()));
        return this;
    }

    SyntheticModel op(String name, String type, TensorData value, String... inputs) {
        return op(name, type, Map.of(), value, inputs);
    }

    /** Traces the model with every cause rule core contributes, in their service ranking. */
    TraceOutcome trace() throws Exception {
        OpNode last = ops.get(ops.size() - 1);
        Signature signature = new Signature(Signature.DEFAULT_KEY, List.of(),
                List.of(new SignatureTensor("out", last.outputs().get(0))));
        ModelGraph graph = new ModelGraph(Path.of("synthetic.pb"), format, ops, List.of(signature), List.of());
        PreparedInputs inputs = PreparedInputs.prepare(signature, List.of());
        return new NanTracer(rules()).trace(graph, signature, this, inputs, Map.of(), HealthMode.FULL, "cpu",
                new NullProgressMonitor());
    }

    @Override
    public String deviceNote() {
        return "";
    }

    @Override
    public Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) {
        Map<String, TensorData> fetched = new LinkedHashMap<>();
        for (String tensor : tensors) {
            String name = TensorSpec.tensorName(tensor);
            fetched.put(name, values.get(name));
        }
        return fetched;
    }

    @Override
    public Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
            Map<String, TensorData> overrides, IProgressMonitor monitor) {
        List<TensorHealth> rows = new ArrayList<>();
        for (OpNode op : ops) {
            TensorData value = values.get(op.name() + ":0");
            if (!value.dtype().isFloating()) {
                continue;
            }
            TensorStats s = TensorStats.of(value);
            rows.add(new TensorHealth(op.name() + ":0", op.type(), "", s.count(), s.nan(), s.negInf(), s.posInf(),
                    s.min(), s.max(), s.mean(), 0, -1, s.zeros()));
        }
        return new Trace(new ModelGraph(Path.of("synthetic.pb"), "test", ops, List.of(), List.of()), rows);
    }

    @Override
    public void close() {
    }

    /** Every rule in core, highest service.ranking (as declared in its component description) first. */
    static List<NanCauseRule> rules() {
        List<NanCauseRule> all = List.of(new AcosAsinOutOfDomainRule(), new AtanhOutOfDomainRule(), new CastRule(),
                new CumulativeProductOverflowRule(), new DivisionRule(), new ExpOverflowRule(), new InfMinusInfRule(),
                new Log1pBelowMinusOneRule(), new LogOfNonPositiveRule(), new OverflowRule(), new PowOfNegativeRule(),
                new QuantizationRangeRule(), new RsqrtOfZeroRule(), new SoftmaxOfMaskedRowRule(),
                new SqrtOfNegativeRule(), new ZeroBatchVarianceRule(), new ZeroNormDivisionRule(),
                new ZeroTimesInfRule(), new ZeroVarianceBatchNormRule());
        return all.stream().sorted(Comparator.comparingInt((NanCauseRule r) -> -ranking(r))
                .thenComparing(NanCauseRule::id)).toList();
    }

    private static final Pattern RANKING = Pattern.compile(
            "name=\"service.ranking\" type=\"Integer\" value=\"(-?\\d+)\"");

    /** The service.ranking the rule's OSGi component declares, 0 when none. */
    static int ranking(NanCauseRule rule) {
        Bundle core = FrameworkUtil.getBundle(NanCauseRule.class);
        URL entry = core.getEntry("OSGI-INF/" + rule.getClass().getName() + ".xml");
        if (entry == null) {
            throw new AssertionError("no component description for " + rule.getClass().getName());
        }
        try (InputStream in = entry.openStream()) {
            Matcher m = RANKING.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static TensorData f32(Shape shape, float... v) {
        return TensorData.ofFloats("t", shape, v);
    }

    static TensorData f16(Shape shape, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putShort(Float.floatToFloat16(x));
        }
        return new TensorData("t", DType.FLOAT16, shape, b.flip());
    }

    static TensorData f64(Shape shape, double... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return new TensorData("t", DType.FLOAT64, shape, b.flip());
    }

    static TensorData i32(Shape shape, int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return new TensorData("t", DType.INT32, shape, b.flip());
    }

    static TensorData i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return new TensorData("t", DType.INT32, Shape.of(v.length), b.flip());
    }
}
