package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;

/**
 * Every TensorFlow model of the corpus in testdata/ (TF.js graph models and SavedModels, each signature), opened
 * the way the command line opens it (the installed loaders, backend and cause rules): it runs on a healthy input
 * with the expected outputs, its trace on that input is all clear or says honestly what it could not check, and
 * its trace on an unhealthy input names the origin op (or, where no input the model takes can make a tensor
 * non-finite, finds none, as TF.js does).
 * <p>
 * Expected outputs of the TF.js graph models come from TF.js 4.22.0 itself (tfjs-converter with the CPU backend,
 * {@code executeAsync} so the control-flow models run too) fed the same input: the first five values and the mean
 * of every output. Their expected origins too: TF.js runs the graph with its fused ops split into the chains
 * Tensorscope's loader makes (X/Conv2D, X/BiasAdd, X), and the origin is the first op in topological order whose
 * output is non-finite while its inputs are finite. (Run fused, TF.js sees no non-finite tensor in mobilenet, posenet
 * or blazepose on ramp*1e38: the fused Relu6 clips the first convolution's Inf to 6.) Expected values of the
 * SavedModels are their known answers (y = 0.5x + 2 and so on).
 * <p>
 * Inputs ({@code ramp}: x[i] = ((i*7) mod 255)/255): float image models take pixels in [0, 1], so they get
 * {@code ramp}; the int32 (movenet) and uint8 (faceboxes) image models take pixels in [0, 255], so they get
 * {@code ramp*255} (rounded to whole numbers, as Tensorscope and the oracle both do). Inputs of unknown shape get an
 * explicit one: faceboxes a 256x256 frame; rvm a 256x256 frame, its recurrent states r1i..r4i zeros of shape
 * [1,1,1,1] (the model broadcasts them; TF.js users pass zeros for the first frame) and downsample_ratio 0.25 as a
 * scalar (below 1, both tf.conds take the branch that downsamples and then refines with the guided filter).
 */
class CorpusTest {

    /**
     * Relative tolerance against the expected values, taken of the value or, for a value near zero, of the largest
     * expected value of the same output (blazepose's ld_3d holds -0.0469 beside pixel coordinates of 108, and
     * differs from TF.js by 7e-6 there), plus an absolute one for outputs that are all zero.
     */
    private static final double RELATIVE = 1e-4;
    private static final double ABSOLUTE = 1e-6;

    private static final List<String> RVM_STATES = List.of("r1i=zeros@1x1x1x1", "r2i=zeros@1x1x1x1",
            "r3i=zeros@1x1x1x1", "r4i=zeros@1x1x1x1", "downsample_ratio=const:0.25@scalar");

    private static Contributions contributions;

    @BeforeAll
    static void openContributions() {
        contributions = new Contributions(FrameworkUtil.getBundle(CorpusTest.class).getBundleContext());
    }

    @AfterAll
    static void closeContributions() {
        contributions.close();
    }

    /** An output's expected mean and first values. */
    record Reference(String tensor, double mean, double... head) {
    }

    /** What the trace on the unhealthy input must find. */
    record Verdict(boolean origin, String op, NanOrigin.Kind kind, String why) {

        /** An origin computed from finite inputs, at this op. */
        static Verdict originAt(String op) {
            return new Verdict(true, op, NanOrigin.Kind.COMPUTATION, null);
        }

        /** The input already holds NaN/Inf: the origin is the fed tensor's op. */
        static Verdict inputAt(String op) {
            return new Verdict(true, op, NanOrigin.Kind.INPUT, null);
        }

        /** An origin at this op, whatever is blamed, for the reason given. */
        static Verdict originAt(String op, String why) {
            return new Verdict(true, op, null, why);
        }

        /** Nothing non-finite, for the reason given. */
        static Verdict allFinite(String why) {
            return new Verdict(false, null, null, why);
        }
    }

    record Case(String model, String signature, List<String> healthy, List<Reference> expected,
            List<String> unhealthy, Verdict verdict) {

        @Override
        public String toString() {
            return model + (signature == null ? "" : " [" + signature + "]");
        }
    }

    private static Reference ref(String tensor, double mean, double... head) {
        return new Reference(tensor, mean, head);
    }

    private static Case tfjs(String model, List<String> healthy, List<Reference> oracle, List<String> unhealthy,
            Verdict verdict) {
        return new Case("tfjs/" + model, null, healthy, oracle, unhealthy, verdict);
    }

    private static Case savedModel(String model, String signature, List<String> healthy, List<Reference> expected,
            List<String> unhealthy, Verdict verdict) {
        return new Case("savedmodel/" + model, signature, healthy, expected, unhealthy, verdict);
    }

    private static List<String> rvm(String src) {
        List<String> inputs = new ArrayList<>(RVM_STATES);
        inputs.add(0, "src=" + src + "@1x256x256x3");
        return inputs;
    }

    /** y = a*x + b on x = ramp of the given size: the first values and the mean. */
    private static Reference linear(String tensor, double a, double b, int n) {
        double[] y = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            y[i] = a * (((i * 7) % 255) / 255.0) + b;
            sum += y[i];
        }
        return new Reference(tensor, sum / n, y);
    }

    /** The unhealthy input of the linear SavedModels: no finite x makes 0.5x + b overflow, so x itself holds Inf. */
    private static final String X_PAST_FLOAT_RANGE = "ramp*1e40@4x1";

    /** A tf.Example with feature x = 1.5 (TF Serving's classify/regress request); y = 0.5 * 1.5 + b. */
    private static final String EXAMPLE = "inputs=example:{\"x\":[1.5]}";
    /** 1e39 is past float's range: the parsed feature is already infinite. */
    private static final String EXAMPLE_PAST_FLOAT_RANGE = "inputs=example:{\"x\":[1e39]}";

    /** ParseExample turns the example's 1e39 into float Inf: the first tensor holding it is its output. */
    private static final Verdict PARSED_INF = Verdict.originAt("ParseExample/ParseExample",
            "the example's 1e39 is parsed to float Inf");

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>(List.of(
                tfjs("emotion/emotion.json", List.of("input_1=ramp"),
                        List.of(ref("Identity:0", 0.142857144, 0.000362878811, 0.152160674, 0.0001165309, 0.0312476438,
                                6.10908501e-06)),
                        List.of("input_1=ramp*1e38"),
                        Verdict.originAt("StatefulPartitionedCall/model_1/block1_conv1_act/Relu/Conv2D")),
                tfjs("handskeleton/handskeleton.json", List.of("input_1=ramp"),
                        List.of(ref("Identity_1:0", 1.9476267e-05, 1.9476267e-05),
                                ref("Identity:0", 78.9620789, 95.855011, 204.488892, -0.00107204169, 107.469673,
                                        165.330719)),
                        List.of("input_1=ramp*1e38"),
                        Verdict.originAt("StatefulPartitionedCall/model/batch_normalization/FusedBatchNormV3/Conv2D")),
                tfjs("handlandmark-lite/handlandmark-lite.json", List.of("input_1=ramp"),
                        List.of(ref("Identity_1:0", 0.00258290092, 0.00258290092),
                                ref("Identity:0", 74.3906702, 122.707542, 174.905807, -2.84016005e-06, 105.830246,
                                        152.395233),
                                ref("Identity_2:0", 0.568940938, 0.568940938),
                                ref("Identity_3:0", 0.000796176597, 0.000826893374, 0.0287320912, 0.0349901989,
                                        -0.00634401292, 0.0147065818)),
                        List.of("input_1=ramp*1e38"), Verdict.originAt("Conv2D")),
                tfjs("mobilenet_v2_mid/model.json", List.of("input=ramp"),
                        List.of(ref("Identity:0", 0.199999997, 0.36632067, 0.195175707, 0.407709926, 0.00654995488,
                                0.0242437292)),
                        List.of("input=ramp*1e38"), Verdict.originAt("StatefulPartitionedCall/sequential/keras_layer/"
                                + "StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/"
                                + "MobilenetV2/Conv/Relu6/Conv2D")),
                tfjs("movenet-lightning/movenet-lightning.json", List.of("input=ramp*255"),
                        List.of(ref("Identity:0", 0.297854506, 0.131346509, 0.47760573, 0.0792618468, 0.105283581,
                                0.534699678)),
                        // an int32 image cannot hold Inf; pixels never scaled to 8 bits (up to 2e9) stay finite
                        // through every op, in TF.js too
                        List.of("input=ramp*2e9"),
                        Verdict.allFinite("int32 pixels up to 2e9 overflow no op, in TF.js either")),
                tfjs("posenet/posenet.json", List.of("image=ramp"),
                        List.of(ref("MobilenetV1/displacement_fwd_2/BiasAdd:0", 6.86169138, -3.65044284, 5.33241653,
                                -3.52229548, 4.99782753, 23.4826012),
                                ref("MobilenetV1/heatmap_2/BiasAdd:0", -8.54220351, -9.584939, -7.89832258, -8.7530365,
                                        -8.38961411, -7.9723959),
                                ref("MobilenetV1/displacement_bwd_2/BiasAdd:0", -7.10278265, 10.1689596,
                                        -0.0197000131, 9.84486103, -0.647121131, -13.7555065),
                                ref("MobilenetV1/offset_2/BiasAdd:0", -0.246828631, -5.49035883, 1.89601302,
                                        1.08657074, -1.98282814, -1.77792561)),
                        List.of("image=ramp*1e38"), Verdict.originAt("MobilenetV1/MobilenetV1/Conv2d_0/Relu6/Conv2D")),
                tfjs("blazepose-lite/blazepose-lite.json", List.of("input_1=ramp"),
                        List.of(ref("Identity_4:0", -0.0744226302, -0.0464708805, -0.50031358, -0.246389389,
                                -0.0494022369, -0.52997756),
                                ref("Identity:0", 0.0180652602, 4.69683209e-06, 9.93691174e-07, 1.06796665e-06,
                                        1.74360184e-06, 1.02331092e-06),
                                ref("Identity_1:0", 0.0493130851, 1.02978785e-10, 3.23470417e-25, 1.51489441e-27,
                                        3.14735668e-18, 1.03828463e-17),
                                ref("Identity_3:0", 0.000650300644, 0.000650300644),
                                ref("Identity_2:0", 41.8105724, 108.618073, 69.0569077, -47.0941391, -0.0468997955,
                                        -1.2220211)),
                        List.of("input_1=ramp*1e38"), Verdict.originAt("StatefulPartitionedCall/model/re_lu/Relu6/Conv2D")),
                // its PReLU layers are TF.js's own op Prelu, standalone and fused
                tfjs("facemesh/facemesh.json", List.of("input_1=ramp"),
                        List.of(ref("Identity_2:0", 67.1645764, 105.997086, 122.160583, -11.118536, 110.532494,
                                107.384705),
                                ref("Identity_1:0", 7.22298864e-05, 7.22298864e-05),
                                ref("Identity:0", 98.9048892, 106.943512, 35.6170921, 116.566475, 36.0039330,
                                        133.208191)),
                        List.of("input_1=ramp*1e38"), Verdict.originAt(
                                "StatefulPartitionedCall/model_1/batch_normalization_1/FusedBatchNormV3/Conv2D")),
                tfjs("faceboxes/faceboxes.json", List.of("image_tensor=ramp*255@1x256x256x3"),
                        List.of(ref("scores:0", 0.0118052025, 0.200650394, 0.11033985, 0.0855165124, 0.0828723684,
                                0.0818212777),
                                ref("boxes:0", 0.0598107587, 0, 0.118096799, 1, 1, 0),
                                ref("num_boxes:0", 32, 32)),
                        // a uint8 image cannot hold Inf: the worst frame is a saturated one
                        List.of("image_tensor=const:255@1x256x256x3"),
                        Verdict.allFinite("a saturated uint8 frame overflows no op, in TF.js either")),
                tfjs("rvm/rvm.json", rvm("ramp"),
                        List.of(ref("Identity_5:0", 0.00397902153, 0.00960989669, -0.16374059, 0.0180991665,
                                -0.211974055, 0.17883265),
                                // the alpha matte of this input is 0 everywhere
                                ref("Identity_1:0", 0, 0, 0, 0, 0, 0),
                                ref("Identity:0", 0.541784766, 0, 0, 0, 0, 0),
                                ref("Identity_4:0", 0.0541088688, -0.053343568, 0.361584425, -0.293815732,
                                        0.00613295799, 0.78715986),
                                ref("Identity_3:0", -0.0442872988, 0.0583193488, 0.73595655, 0.470769227, 0.623119354,
                                        -0.286396027),
                                ref("Identity_2:0", 0.0129292787, 0.0187348966, 0.092024371, -0.0872526765,
                                        0.096080631, -0.0715686232)),
                        rvm("ramp*1e38"), Verdict.originAt(
                                "StatefulPartitionedCall/matting_network_wrapper/StatefulPartitionedCall/"
                                        + "mobile_net_v3_encoder/truediv"))));

        for (String model : List.of("tf1_half_plus_two", "tf1_half_plus_two_cpu")) {
            cases.add(savedModel(model, "serving_default", List.of("x=ramp@4x1"), List.of(linear("y:0", 0.5, 2, 4)),
                    List.of("x=" + X_PAST_FLOAT_RANGE), Verdict.inputAt("x")));
            cases.add(savedModel(model, "classify_x_to_y", List.of(EXAMPLE), List.of(ref("y:0", 2.75, 2.75)),
                    List.of(EXAMPLE_PAST_FLOAT_RANGE), PARSED_INF));
            cases.add(savedModel(model, "regress_x_to_y", List.of(EXAMPLE), List.of(ref("y:0", 2.75, 2.75)),
                    List.of(EXAMPLE_PAST_FLOAT_RANGE), PARSED_INF));
            cases.add(savedModel(model, "regress_x_to_y2", List.of(EXAMPLE), List.of(ref("y2:0", 3.75, 3.75)),
                    List.of(EXAMPLE_PAST_FLOAT_RANGE), PARSED_INF));
            cases.add(savedModel(model, "regress_x2_to_y3", List.of("inputs=ramp@4x1"),
                    List.of(linear("y3:0", 0.5, 3, 4)), List.of("inputs=" + X_PAST_FLOAT_RANGE),
                    Verdict.inputAt("x2")));
        }
        cases.add(savedModel("tf1_half_plus_two", "classify_x2_to_y3", List.of("inputs=ramp@4x1"),
                List.of(linear("y3:0", 0.5, 3, 4)), List.of("inputs=" + X_PAST_FLOAT_RANGE), Verdict.inputAt("x2")));

        cases.add(savedModel("tf1_half_plus_three", "serving_default", List.of("x=ramp@4x1"),
                List.of(linear("y:0", 0.5, 3, 4)), List.of("x=" + X_PAST_FLOAT_RANGE), Verdict.inputAt("x")));
        cases.add(savedModel("tf1_half_plus_three", "tensorflow/serving/regress", List.of(EXAMPLE),
                List.of(ref("Identity:0", 3.75, 3.75)), List.of(EXAMPLE_PAST_FLOAT_RANGE),
                PARSED_INF));

        String constant = "the output does not read the input: nothing can make it non-finite";
        cases.add(savedModel("tf2_python_functions", "add", List.of("a=ramp@3", "b=ramp@3"),
                List.of(linear("PartitionedCall:0", 2, 0, 3)),
                // 3e38 + 3e38 overflows float
                List.of("a=const:3e38@3", "b=const:3e38@3"), Verdict.originAt("PartitionedCall/PartitionedCall/add")));
        cases.add(savedModel("tf2_python_functions", "get_const_scalar", List.of("input=ramp@scalar"),
                List.of(ref("PartitionedCall_2:0", 0, 0)), List.of("input=ramp*1e38@scalar"),
                Verdict.allFinite(constant)));
        cases.add(savedModel("tf2_python_functions", "get_const_vector", List.of("input=ramp@scalar"),
                List.of(ref("PartitionedCall_3:0", 0, 0, 0, 0)), List.of("input=ramp*1e38@scalar"),
                Verdict.allFinite(constant)));
        cases.add(savedModel("tf2_python_functions", "get_const_matrix", List.of("input=ramp@scalar"),
                List.of(ref("PartitionedCall_1:0", 0, 0, 0, 0, 0, 0, 0)), List.of("input=ramp*1e38@scalar"),
                Verdict.allFinite(constant)));
        cases.add(savedModel("tf2_python_functions", "get_variable", List.of("dummy=ramp@scalar"),
                List.of(ref("StatefulPartitionedCall:0", 2, 2)), List.of("dummy=ramp*1e38@scalar"),
                Verdict.allFinite(constant)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void opensRunsAndTraces(Case c) throws Exception {
        NullProgressMonitor monitor = new NullProgressMonitor();
        try (LoadedModel model = contributions.open(TestModels.get(c.model()), monitor);
                InferenceSession session = contributions.backendFor(model).open(model, Device.CPU)) {
            ModelGraph graph = model.graph();
            Signature signature = signature(graph, c.signature());
            List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
            assertEquals(c.expected().stream().map(Reference::tensor).sorted().toList(),
                    outputs.stream().sorted().toList(), "the outputs of signature " + signature.key());

            PreparedInputs healthy = PreparedInputs.prepare(signature, c.healthy());
            Map<String, TensorData> values = session.fetch(healthy.feeds(), outputs, Map.of(), monitor);
            List<String> mismatches = new ArrayList<>();
            for (Reference expected : c.expected()) {
                mismatches.addAll(mismatches(expected, values.get(expected.tensor())));
            }
            assertEquals(List.of(), mismatches, "outputs on " + c.healthy());

            NanReport clean = trace(graph, signature, session, healthy);
            assertHonestCoverage(graph, outputs, healthy, clean);
            assertTrue(clean.finite(), "the trace on " + c.healthy() + " finds " + describe(clean));
            assertNull(clean.origin());
            assertNotNull(clean.fidelity(), "the traced run is compared with the plain run");
            assertTrue(clean.fidelity().agree(), clean.fidelity().explanation());

            PreparedInputs sick = PreparedInputs.prepare(signature, c.unhealthy());
            NanReport report = trace(graph, signature, session, sick);
            assertHonestCoverage(graph, outputs, sick, report);
            Verdict verdict = c.verdict();
            if (!verdict.origin()) {
                assertTrue(report.finite(), verdict.why() + "; yet the trace on " + c.unhealthy() + " finds "
                        + describe(report));
                assertNull(report.origin());
                return;
            }
            assertFalse(report.finite(), "the trace on " + c.unhealthy() + " finds nothing: " + CoverageText.verdict(report));
            NanReport.Origin origin = report.origin();
            assertNotNull(origin, CoverageText.verdict(report));
            assertTrue(graph.op(origin.op()).isPresent(), "the origin " + origin.op() + " is an op of the graph");
            if (verdict.op() != null) {
                assertEquals(verdict.op(), origin.op(), "origin (" + origin.type() + ")");
            }
            if (verdict.kind() != null) {
                assertEquals(verdict.kind(), origin.kind(), "what is to blame for " + origin.op());
            }
            assertTrue(CoverageText.verdict(report).startsWith(report.checked() + " checked, "),
                    CoverageText.verdict(report));
        }
    }

    private static Signature signature(ModelGraph graph, String key) {
        List<String> keys = graph.signatures().stream().map(Signature::key).toList();
        return (key == null ? graph.defaultSignature() : graph.signature(key))
                .orElseThrow(() -> new AssertionError(graph.source() + " has no signature "
                        + (key == null ? "by default" : "'" + key + "'") + "; it has " + keys));
    }

    private static NanReport trace(ModelGraph graph, Signature signature, InferenceSession session,
            PreparedInputs inputs) throws Exception {
        return new NanTracer(contributions.causeRules()).trace(graph, signature, session, inputs, Map.of(),
                HealthMode.FULL, "cpu", new NullProgressMonitor()).report();
    }

    private static String describe(NanReport report) {
        return CoverageText.verdict(report) + (report.origin() == null ? ""
                : "; origin " + report.origin().op() + " (" + report.origin().type() + ")");
    }

    /**
     * The report may say every tensor was checked only if every float tensor the outputs need has a row; what it
     * could not check it lists with a reason, and then it does not say "every tensor is finite".
     */
    private static void assertHonestCoverage(ModelGraph graph, List<String> outputs, PreparedInputs inputs,
            NanReport report) {
        assertEquals(report.ops().size(), report.checked());
        Set<String> rows = report.ops().stream().map(NanReport.OpHealth::tensor).collect(Collectors.toSet());
        List<String> missing = graph.opsNeededFor(outputs, inputs.feeds().keySet()).stream()
                .flatMap(op -> op.outputs().stream()).filter(t -> t.dtype().isFloating()).map(TensorSpec::name)
                .filter(t -> !rows.contains(t)).toList();
        String verdict = CoverageText.verdict(report);
        if (report.complete()) {
            assertEquals(List.of(), missing, "the report lists nothing as unchecked (" + verdict + ")");
        } else {
            for (NanReport.Unchecked u : report.unchecked()) {
                assertFalse(u.reason() == null || u.reason().isBlank(), "no reason why " + u.tensor() + " is unchecked");
            }
            Set<String> unchecked = report.unchecked().stream().map(NanReport.Unchecked::tensor)
                    .collect(Collectors.toSet());
            assertTrue(missing.stream().allMatch(t -> unchecked.contains(t) || unchecked.stream()
                    .anyMatch(u -> t.startsWith(TensorSpec.opNameOf(u) + "/"))),
                    "tensors neither checked nor listed as unchecked: " + missing.stream()
                            .filter(t -> !unchecked.contains(t)).limit(10).toList());
            assertFalse(verdict.startsWith("Every tensor is finite"), verdict);
        }
        assertEquals(report.allClear(), verdict.startsWith("Every tensor is finite"), verdict);
    }

    private static List<String> mismatches(Reference expected, TensorData actual) {
        if (actual == null) {
            return List.of(expected.tensor() + ": not returned");
        }
        List<String> problems = new ArrayList<>();
        if (actual.size() < expected.head().length) {
            return List.of(expected.tensor() + ": " + actual.size() + " values, expected at least "
                    + expected.head().length);
        }
        double scale = 0;
        for (double v : expected.head()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.head().length; i++) {
            double v = actual.getDouble(i);
            if (!close(v, expected.head()[i], scale)) {
                problems.add(expected.tensor() + "[" + i + "] = " + v + ", expected " + expected.head()[i]);
            }
        }
        double sum = 0;
        for (long i = 0; i < actual.size(); i++) {
            sum += actual.getDouble(i);
        }
        double mean = sum / actual.size();
        if (!close(mean, expected.mean(), 0)) {
            problems.add(expected.tensor() + " mean = " + mean + ", expected " + expected.mean());
        }
        return problems;
    }

    private static boolean close(double actual, double expected, double scale) {
        return Math.abs(actual - expected) <= RELATIVE * Math.max(Math.abs(expected), scale) + ABSOLUTE;
    }
}
