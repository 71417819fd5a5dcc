package org.tensorscope.tensorflow.tests.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorscope.tensorflow.tests.tflite.TfliteWriter.FLOAT32;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.tflite.TfliteLoader;
import org.tensorscope.tensorflow.tests.tflite.TfliteWriter.Field;

/**
 * One TFLite builtin operator per model, written with FlatBuffers' builder, run through the
 * converted TensorFlow graph and compared with values worked out by hand.
 */
class TfliteOperatorsTest {

    // BuiltinOperator codes and BuiltinOptions union types of the schema
    static final int ADD = 0, AVERAGE_POOL_2D = 1, CONCATENATION = 2, CONV_2D = 3, DEPTHWISE_CONV_2D = 4, DEQUANTIZE = 6,
            FULLY_CONNECTED = 9, LOGISTIC = 14, MAX_POOL_2D = 17, MUL = 18, RESHAPE = 22, SOFTMAX = 25, TANH = 28,
            PAD = 34, GATHER = 36, TRANSPOSE = 39, MEAN = 40, SUB = 41, DIV = 42, SQUEEZE = 43, STRIDED_SLICE = 45,
            SPLIT = 49, PRELU = 54, SLICE = 65, TRANSPOSE_CONV = 67, EXPAND_DIMS = 70, LOG = 73,
            RESIZE_NEAREST_NEIGHBOR = 97, HARD_SWISH = 117, EMBEDDING_LOOKUP = 7, L2_NORMALIZATION = 11,
            LOCAL_RESPONSE_NORMALIZATION = 13, BATCH_TO_SPACE_ND = 37, SPACE_TO_BATCH_ND = 38, TOPK_V2 = 48, CAST = 53,
            LESS = 58, GREATER = 61, LOGICAL_OR = 84, ONE_HOT = 85, LOGICAL_AND = 86, LOGICAL_NOT = 87,
            REDUCE_ANY = 91, RANGE = 96, REVERSE_V2 = 105, CUMSUM = 128, GELU = 150, RELU_0_TO_1 = 152, ATAN2 = 156,
            SIGN = 158, NEG = 59, SUM = 74, IF = 118, WHILE = 119, UNIDIRECTIONAL_SEQUENCE_LSTM = 44, L2_POOL_2D = 12,
            FAKE_QUANT = 80, WHERE = 109, RANK = 110, REVERSE_SEQUENCE = 112, MATRIX_DIAG = 113, MATRIX_SET_DIAG = 115,
            NON_MAX_SUPPRESSION_V4 = 120, SCATTER_ND = 122, SEGMENT_SUM = 125, CONV_3D = 132, REDUCE_ALL = 140,
            UNSORTED_SEGMENT_MAX = 154;
    static final int CONV_OPTIONS = 1, DEPTHWISE_OPTIONS = 2, POOL_OPTIONS = 5, FC_OPTIONS = 8, SOFTMAX_OPTIONS = 9,
            CONCAT_OPTIONS = 10, ADD_OPTIONS = 11, RESHAPE_OPTIONS = 17, MUL_OPTIONS = 21, GATHER_OPTIONS = 23,
            REDUCER_OPTIONS = 27, SUB_OPTIONS = 28, DIV_OPTIONS = 29, SQUEEZE_OPTIONS = 30, STRIDED_SLICE_OPTIONS = 32,
            SPLIT_OPTIONS = 35, TRANSPOSE_CONV_OPTIONS = 49, RESIZE_NEAREST_OPTIONS = 74, L2_NORM_OPTIONS = 12,
            LRN_OPTIONS = 13, ONE_HOT_OPTIONS = 61, CUMSUM_OPTIONS = 102, GELU_OPTIONS = 116, IF_OPTIONS = 92,
            WHILE_OPTIONS = 93, LSTM_OPTIONS = 71, FAKE_QUANT_OPTIONS = 58, REVERSE_SEQUENCE_OPTIONS = 87,
            CONV_3D_OPTIONS = 106;
    /** TensorType INT64 of the schema. */
    static final int INT64 = 4;
    /** TensorType BOOL of the schema. */
    static final int BOOL = 6;
    static final int RELU = 1, RELU6 = 3, VALID = 1;

    @TempDir
    static Path folder;

    /** A model computing "y" (and "y2" for two outputs) from input "x". */
    record Case(String name, Consumer<TfliteWriter> body, int[] inputShape, float[] input, float[] expected,
            float[] expected2) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = new ArrayList<>();
        // conv: filter [out=2, h=2, w=2, in=1] = {1,0,0,1}, {-1,0,0,0}; bias {0.5, 2.5}; fused RELU
        cases.add(new Case("CONV_2D with bias and fused RELU", w -> {
            int x = w.tensor("x", FLOAT32, 1, 3, 3, 1);
            int f = w.constant("filter", new int[] { 2, 2, 2, 1 }, 1, 0, 0, 1, -1, 0, 0, 0);
            int b = w.constant("bias", new int[] { 2 }, 0.5f, 2.5f);
            int y = w.tensor("y", FLOAT32, 1, 2, 2, 2);
            w.op(CONV_2D, new int[] { x, f, b }, new int[] { y }, CONV_OPTIONS, Field.i8(0, VALID), Field.i32(1, 1),
                    Field.i32(2, 1), Field.i8(3, RELU), Field.i32(4, 1), Field.i32(5, 1));
            w.io(new int[] { x }, new int[] { y });
        }, new int[] { 1, 3, 3, 1 }, range(1, 9), floats(6.5f, 1.5f, 8.5f, 0.5f, 12.5f, 0, 14.5f, 0), null));
        // depthwise, multiplier 2: output channel c*2+m
        cases.add(new Case("DEPTHWISE_CONV_2D with depth multiplier 2", w -> {
            int x = w.tensor("x", FLOAT32, 1, 2, 2, 2);
            int f = w.constant("filter", new int[] { 1, 2, 2, 4 }, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 2);
            int b = w.constant("bias", new int[] { 4 }, 0, 0, 0, 0);
            int y = w.tensor("y", FLOAT32, 1, 1, 1, 4);
            w.op(DEPTHWISE_CONV_2D, new int[] { x, f, b }, new int[] { y }, DEPTHWISE_OPTIONS, Field.i8(0, VALID),
                    Field.i32(1, 1), Field.i32(2, 1), Field.i32(3, 2), Field.i8(4, 0), Field.i32(5, 1), Field.i32(6, 1));
            w.io(new int[] { x }, new int[] { y });
        }, new int[] { 1, 2, 2, 2 }, floats(1, 10, 2, 20, 3, 30, 4, 40), floats(10, 1, 100, 80), null));
        cases.add(new Case("FULLY_CONNECTED with fused RELU", w -> {
            int x = w.tensor("x", FLOAT32, 1, 3);
            int f = w.constant("weights", new int[] { 2, 3 }, 1, 1, 1, 1, -1, 0);
            int b = w.constant("bias", new int[] { 2 }, 0, -10);
            int y = w.tensor("y", FLOAT32, 1, 2);
            w.op(FULLY_CONNECTED, new int[] { x, f, b }, new int[] { y }, FC_OPTIONS, Field.i8(0, RELU));
            w.io(new int[] { x }, new int[] { y });
        }, new int[] { 1, 3 }, floats(1, 2, 3), floats(6, 0), null));
        cases.add(binary("ADD with fused RELU6", ADD, ADD_OPTIONS, RELU6, floats(1, 6, 0, 5)));
        cases.add(binary("SUB", SUB, SUB_OPTIONS, 0, floats(1, -3, 13, 3)));
        cases.add(binary("MUL", MUL, MUL_OPTIONS, 0, floats(0, 10, -30, 4)));
        cases.add(binary("DIV", DIV, DIV_OPTIONS, 0, floats(Float.POSITIVE_INFINITY, 0.4f, -0.3f, 4)));
        cases.add(unary("MAX_POOL_2D", new int[] { 1, 2, 2, 1 }, floats(1, 5, 3, 2), new int[] { 1, 1, 1, 1 }, floats(5),
                (w, x, y) -> w.op(MAX_POOL_2D, new int[] { x }, new int[] { y }, POOL_OPTIONS, Field.i8(0, VALID),
                        Field.i32(1, 2), Field.i32(2, 2), Field.i32(3, 2), Field.i32(4, 2), Field.i8(5, 0))));
        cases.add(unary("AVERAGE_POOL_2D", new int[] { 1, 2, 2, 1 }, floats(1, 5, 3, 2), new int[] { 1, 1, 1, 1 },
                floats(2.75f), (w, x, y) -> w.op(AVERAGE_POOL_2D, new int[] { x }, new int[] { y }, POOL_OPTIONS,
                        Field.i8(0, VALID), Field.i32(1, 2), Field.i32(2, 2), Field.i32(3, 2), Field.i32(4, 2),
                        Field.i8(5, 0))));
        cases.add(unary("CONCATENATION", new int[] { 1, 2 }, floats(1, 2), new int[] { 1, 3 }, floats(1, 2, 9),
                (w, x, y) -> w.op(CONCATENATION, new int[] { x, w.constant("nine", new int[] { 1, 1 }, 9) },
                        new int[] { y }, CONCAT_OPTIONS, Field.i32(0, 1), Field.i8(1, 0))));
        cases.add(unary("RESHAPE", new int[] { 1, 4 }, floats(1, 2, 3, 4), new int[] { 2, 2 }, floats(1, 2, 3, 4),
                (w, x, y) -> w.op(RESHAPE, new int[] { x, w.constantInts("shape", new int[] { 2 }, 2, 2) },
                        new int[] { y }, RESHAPE_OPTIONS, Field.ints(0, 2, 2))));
        // converters leave the buffer of a constant without elements empty (openWakeWord's models reshape to scalar so)
        cases.add(unary("RESHAPE to a scalar by an empty shape constant", new int[] { 1, 1 }, floats(7), new int[] {},
                floats(7), (w, x, y) -> w.op(RESHAPE, new int[] { x, w.constantInts("shape", new int[] { 0 }) },
                        new int[] { y }, RESHAPE_OPTIONS)));
        cases.add(unary("CONCATENATION with a constant of no elements", new int[] { 1, 2 }, floats(1, 2),
                new int[] { 1, 2 }, floats(1, 2), (w, x, y) -> w.op(CONCATENATION,
                        new int[] { w.constant("none", new int[] { 1, 0 }), x }, new int[] { y }, CONCAT_OPTIONS,
                        Field.i32(0, 1), Field.i8(1, 0))));
        cases.add(unary("SOFTMAX", new int[] { 1, 2 }, floats(0, (float) Math.log(3)), new int[] { 1, 2 },
                floats(0.25f, 0.75f), (w, x, y) -> w.op(SOFTMAX, new int[] { x }, new int[] { y }, SOFTMAX_OPTIONS,
                        Field.f32(0, 1f))));
        cases.add(unary("LOGISTIC", new int[] { 1, 2 }, floats(0, 100), new int[] { 1, 2 }, floats(0.5f, 1),
                (w, x, y) -> w.op(LOGISTIC, new int[] { x }, new int[] { y }, 0)));
        cases.add(unary("TANH", new int[] { 1, 2 }, floats(0, 100), new int[] { 1, 2 }, floats(0, 1),
                (w, x, y) -> w.op(TANH, new int[] { x }, new int[] { y }, 0)));
        cases.add(unary("HARD_SWISH", new int[] { 1, 5 }, floats(-4, -1, 0, 1, 4), new int[] { 1, 5 },
                floats(0, -1 / 3f, 0, 2 / 3f, 4), (w, x, y) -> w.op(HARD_SWISH, new int[] { x }, new int[] { y }, 0)));
        // an infinite alpha scales only the negatives: x itself elsewhere, as TFLite computes it
        cases.add(unary("PRELU with an infinite alpha", new int[] { 1, 4 }, floats(-2, -1, 0, 3), new int[] { 1, 4 },
                floats(-1, -0.5f, 0, 3), (w, x, y) -> w.op(PRELU, new int[] { x, w.constant("alpha", new int[] { 4 },
                        0.5f, 0.5f, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY) }, new int[] { y }, 0)));
        cases.add(unary("PRELU", new int[] { 1, 4 }, floats(-2, -1, 0, 3), new int[] { 1, 4 }, floats(-1, -0.5f, 0, 3),
                (w, x, y) -> w.op(PRELU, new int[] { x, w.constant("alpha", new int[] { 4 }, 0.5f, 0.5f, 0.5f, 0.5f) },
                        new int[] { y }, 0)));
        cases.add(unary("MEAN", new int[] { 1, 2, 2 }, floats(1, 2, 3, 4), new int[] { 1 }, floats(2.5f),
                (w, x, y) -> w.op(MEAN, new int[] { x, w.constantInts("axes", new int[] { 2 }, 1, 2) }, new int[] { y },
                        REDUCER_OPTIONS, Field.flag(0, false))));
        cases.add(unary("PAD", new int[] { 1, 2 }, floats(1, 2), new int[] { 1, 4 }, floats(0, 1, 2, 0),
                (w, x, y) -> w.op(PAD, new int[] { x, w.constantInts("paddings", new int[] { 2, 2 }, 0, 0, 1, 1) },
                        new int[] { y }, 0)));
        cases.add(unary("STRIDED_SLICE", new int[] { 1, 4 }, floats(1, 2, 3, 4), new int[] { 1, 2 }, floats(2, 4),
                (w, x, y) -> w.op(STRIDED_SLICE, new int[] { x, w.constantInts("begin", new int[] { 2 }, 0, 1),
                        w.constantInts("end", new int[] { 2 }, 1, 4), w.constantInts("strides", new int[] { 2 }, 1, 2) },
                        new int[] { y }, STRIDED_SLICE_OPTIONS, Field.i32(0, 0), Field.i32(1, 0))));
        cases.add(unary("SLICE", new int[] { 1, 4 }, floats(1, 2, 3, 4), new int[] { 1, 2 }, floats(2, 3),
                (w, x, y) -> w.op(SLICE, new int[] { x, w.constantInts("begin", new int[] { 2 }, 0, 1),
                        w.constantInts("size", new int[] { 2 }, 1, 2) }, new int[] { y }, 0)));
        cases.add(unary("GATHER", new int[] { 1, 4 }, floats(1, 2, 3, 4), new int[] { 1, 2 }, floats(4, 1),
                (w, x, y) -> w.op(GATHER, new int[] { x, w.constantInts("indices", new int[] { 2 }, 3, 0) },
                        new int[] { y }, GATHER_OPTIONS, Field.i32(0, 1))));
        cases.add(unary("TRANSPOSE", new int[] { 2, 3 }, range(1, 6), new int[] { 3, 2 }, floats(1, 4, 2, 5, 3, 6),
                (w, x, y) -> w.op(TRANSPOSE, new int[] { x, w.constantInts("perm", new int[] { 2 }, 1, 0) },
                        new int[] { y }, 0)));
        cases.add(unary("SQUEEZE", new int[] { 1, 2, 1 }, floats(1, 2), new int[] { 2 }, floats(1, 2),
                (w, x, y) -> w.op(SQUEEZE, new int[] { x }, new int[] { y }, SQUEEZE_OPTIONS, Field.ints(0, 0, 2))));
        cases.add(unary("EXPAND_DIMS", new int[] { 2 }, floats(1, 2), new int[] { 2, 1 }, floats(1, 2),
                (w, x, y) -> w.op(EXPAND_DIMS, new int[] { x, w.constantInts("axis", new int[] { 1 }, 1) },
                        new int[] { y }, 0)));
        cases.add(unary("RESIZE_NEAREST_NEIGHBOR", new int[] { 1, 1, 2, 1 }, floats(1, 2), new int[] { 1, 2, 4, 1 },
                floats(1, 1, 2, 2, 1, 1, 2, 2), (w, x, y) -> w.op(RESIZE_NEAREST_NEIGHBOR, new int[] { x,
                        w.constantInts("size", new int[] { 2 }, 2, 4) }, new int[] { y }, RESIZE_NEAREST_OPTIONS,
                        Field.flag(0, false), Field.flag(1, false))));
        // transpose conv, 2x2 filter [out=1, h, w, in=1], stride 1: each input value adds x * filter at its place.
        // (Stride 2 with a 2x2 filter is not tested here: TensorFlow 2.18's CPU Conv2DBackpropInput computes
        // [3, 0, 0, 0] for a fed 1x1 input of 3 where the answer is [3, 6, 9, 12], in plain TF Java too.)
        cases.add(unary("TRANSPOSE_CONV", new int[] { 1, 2, 2, 1 }, floats(1, 2, 3, 4), new int[] { 1, 3, 3, 1 },
                floats(1, 4, 4, 6, 20, 16, 9, 24, 16), (w, x, y) -> w.op(TRANSPOSE_CONV, new int[] {
                        w.constantInts("output_shape", new int[] { 4 }, 1, 3, 3, 1),
                        w.constant("weights", new int[] { 1, 2, 2, 1 }, 1, 2, 3, 4), x }, new int[] { y },
                        TRANSPOSE_CONV_OPTIONS, Field.i8(0, VALID), Field.i32(1, 1), Field.i32(2, 1))));
        // MediaPipe's custom Convolution2DTransposeBias: the transpose conv above plus a bias of 0.5; its options are
        // TfLiteTransposeConvParams {padding = 2 (valid), stride_width = 1, stride_height = 1}, little-endian
        cases.add(unary("custom Convolution2DTransposeBias", new int[] { 1, 2, 2, 1 }, floats(1, 2, 3, 4),
                new int[] { 1, 3, 3, 1 }, floats(1.5f, 4.5f, 4.5f, 6.5f, 20.5f, 16.5f, 9.5f, 24.5f, 16.5f),
                (w, x, y) -> w.custom("Convolution2DTransposeBias", new int[] { x,
                        w.constant("weights", new int[] { 1, 2, 2, 1 }, 1, 2, 3, 4),
                        w.constant("bias", new int[] { 1 }, 0.5f) }, new int[] { y },
                        java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(1)
                                .putInt(1).array())));
        cases.add(unary("DEQUANTIZE of float16 weights", new int[] { 1, 2 }, floats(1, 2), new int[] { 1, 2 },
                floats(1.5f, 3.5f), (w, x, y) -> {
                    int half = w.constantHalf("half", new int[] { 2 }, 0.5f, 1.5f);
                    int weights = w.tensor("weights", FLOAT32, 2);
                    w.op(DEQUANTIZE, new int[] { half }, new int[] { weights }, 0);
                    w.op(ADD, new int[] { x, weights }, new int[] { y }, ADD_OPTIONS, Field.i8(0, 0));
                }));
        cases.add(new Case("SPLIT into two", w -> {
            int axis = w.constantInts("axis", new int[0], 1);
            int x = w.tensor("x", FLOAT32, 1, 4);
            int y = w.tensor("y", FLOAT32, 1, 2);
            int y2 = w.tensor("y2", FLOAT32, 1, 2);
            w.op(SPLIT, new int[] { axis, x }, new int[] { y, y2 }, SPLIT_OPTIONS, Field.i32(0, 2));
            w.io(new int[] { x }, new int[] { y, y2 });
        }, new int[] { 1, 4 }, floats(1, 2, 3, 4), floats(1, 2), floats(3, 4)));
        cases.addAll(laterOperators());
        cases.add(whileDoubling());
        cases.addAll(moreOperators());
        cases.add(lstm("UNIDIRECTIONAL_SEQUENCE_LSTM over two steps", false, 0,
                floats(0.098622971f, 0.311111881f)));
        cases.add(lstm("UNIDIRECTIONAL_SEQUENCE_LSTM, CIFG and cell clipping", true, 0.1f,
                floats(0.031649888f, 0.059972775f)));
        cases.add(ifOnTheSign("IF, then branch", floats(1, 2), floats(2, 4)));
        cases.add(ifOnTheSign("IF, else branch", floats(-1, -2), floats(1, 2)));
        return cases.stream().map(Arguments::of);
    }

    /**
     * Convolution2DTransposeBias takes its output's size from the file: one the file does not give as an image's four
     * dimensions leaves the op not runnable, and the model still opens (for info and the Graph view).
     */
    @org.junit.jupiter.api.Test
    void aTransposeConvolutionWithoutAnImageShapeIsNotRunnableAndTheModelOpens() throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("x", FLOAT32, 1, 2, 2, 1);
        int y = w.tensor("y", FLOAT32);
        w.custom("Convolution2DTransposeBias", new int[] { x, w.constant("weights", new int[] { 1, 2, 2, 1 }, 1, 2, 3, 4),
                w.constant("bias", new int[] { 1 }, 0.5f) }, new int[] { y },
                java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(1).putInt(1)
                        .array());
        w.io(new int[] { x }, new int[] { y });
        Path file = Files.write(folder.resolve("rank0.tflite"), w.bytes());
        try (LoadedModel model = new TfliteLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            assertTrue(model.graph().ops().stream()
                    .anyMatch(op -> op.type().equals("Assert")), "the op is marked not runnable");
            String input = model.graph().defaultSignature().orElseThrow().inputs().get(0).tensor().name();
            String output = model.graph().defaultSignature().orElseThrow().outputs().get(0).tensor().name();
            BackendException e = assertThrows(BackendException.class,
                    () -> session.fetch(Map.of(input, TensorData.ofFloats(input, Shape.of(1, 2, 2, 1), 1, 2, 3, 4)),
                            List.of(output), Map.of(), new NullProgressMonitor()));
            assertTrue(e.getMessage().contains("custom op Convolution2DTransposeBias "
                    + "(y) cannot run here: the file does not give the size of its output as four known dimensions "
                    + "(it gives []), and the op takes its size from there"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void operatorComputesWhatTfliteDoes(Case c) throws Exception {
        TfliteWriter writer = new TfliteWriter();
        c.body().accept(writer);
        Path file = Files.write(folder.resolve(c.name().replaceAll("\\W+", "_") + ".tflite"), writer.bytes());
        try (LoadedModel model = new TfliteLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            Signature signature = model.graph().defaultSignature().orElseThrow();
            String x = signature.inputs().get(0).tensor().name();
            long[] dims = java.util.Arrays.stream(c.inputShape()).asLongStream().toArray();
            Map<String, TensorData> out = session.fetch(Map.of(x, TensorData.ofFloats(x, Shape.of(dims), c.input())),
                    signature.outputs().stream().map(t -> t.tensor().name()).toList(), Map.of(), new NullProgressMonitor());
            assertArrayEquals(c.expected(), values(out.get("y:0")), 1e-5f,
                    () -> c.name() + ": " + java.util.Arrays.toString(values(out.get("y:0"))));
            if (c.expected2() != null) {
                assertArrayEquals(c.expected2(), values(out.get("y:1")), 1e-5f, c.name() + ", second output");
            }
        }
    }

    /** Operators that newer converters write: transformers' GELU, embeddings, normalisations, logic. */
    static List<Case> laterOperators() {
        List<Case> cases = new ArrayList<>();
        cases.add(unary("GELU", new int[] { 1, 4 }, floats(-1, 0, 1, 2), new int[] { 1, 4 },
                floats(-0.158655f, 0, 0.841345f, 1.954500f), (w, x, y) -> w.op(GELU, new int[] { x }, new int[] { y },
                        GELU_OPTIONS, Field.flag(0, false))));
        cases.add(unary("GELU, tanh approximation", new int[] { 1, 4 }, floats(-1, 0, 1, 2), new int[] { 1, 4 },
                floats(-0.158808f, 0, 0.841192f, 1.954598f), (w, x, y) -> w.op(GELU, new int[] { x }, new int[] { y },
                        GELU_OPTIONS, Field.flag(0, true))));
        cases.add(unary("L2_NORMALIZATION, a zero row stays zero", new int[] { 2, 2 }, floats(3, 4, 0, 0),
                new int[] { 2, 2 }, floats(0.6f, 0.8f, 0, 0), (w, x, y) -> w.op(L2_NORMALIZATION, new int[] { x },
                        new int[] { y }, L2_NORM_OPTIONS, Field.i8(0, 0))));
        cases.add(unary("LOCAL_RESPONSE_NORMALIZATION", new int[] { 1, 1, 1, 3 }, floats(1, 2, 3),
                new int[] { 1, 1, 1, 3 }, floats(1 / 6f, 2 / 15f, 3 / 14f), (w, x, y) -> w.op(
                        LOCAL_RESPONSE_NORMALIZATION, new int[] { x }, new int[] { y }, LRN_OPTIONS, Field.i32(0, 1),
                        Field.f32(1, 1), Field.f32(2, 1), Field.f32(3, 1))));
        cases.add(unary("RELU_0_TO_1", new int[] { 1, 3 }, floats(-1, 0.5f, 2), new int[] { 1, 3 }, floats(0, 0.5f, 1),
                (w, x, y) -> w.op(RELU_0_TO_1, new int[] { x }, new int[] { y }, 0)));
        cases.add(unary("SIGN", new int[] { 1, 3 }, floats(-2, 0, 3), new int[] { 1, 3 }, floats(-1, 0, 1),
                (w, x, y) -> w.op(SIGN, new int[] { x }, new int[] { y }, 0)));
        cases.add(binary("ATAN2", ATAN2, 0, 0, floats(1.570796f, 0.380506f, 2.850136f, 1.325818f)));
        cases.add(unary("REVERSE_V2", new int[] { 1, 3 }, floats(1, 2, 3), new int[] { 1, 3 }, floats(3, 2, 1),
                (w, x, y) -> w.op(REVERSE_V2, new int[] { x, w.constantInts("axis", new int[] { 1 }, 1) },
                        new int[] { y }, 0)));
        cases.add(unary("CUMSUM, reverse", new int[] { 1, 3 }, floats(1, 2, 3), new int[] { 1, 3 }, floats(6, 5, 3),
                (w, x, y) -> w.op(CUMSUM, new int[] { x, w.constantInts("axis", new int[0], 1) }, new int[] { y },
                        CUMSUM_OPTIONS, Field.flag(0, false), Field.flag(1, true))));
        cases.add(unary("SPACE_TO_BATCH_ND", new int[] { 1, 2, 2, 1 }, floats(1, 2, 3, 4), new int[] { 4, 1, 1, 1 },
                floats(1, 2, 3, 4), (w, x, y) -> w.op(SPACE_TO_BATCH_ND, new int[] { x,
                        w.constantInts("block", new int[] { 2 }, 2, 2),
                        w.constantInts("paddings", new int[] { 2, 2 }, 0, 0, 0, 0) }, new int[] { y }, 0)));
        cases.add(unary("BATCH_TO_SPACE_ND", new int[] { 4, 1, 1, 1 }, floats(1, 2, 3, 4), new int[] { 1, 2, 2, 1 },
                floats(1, 2, 3, 4), (w, x, y) -> w.op(BATCH_TO_SPACE_ND, new int[] { x,
                        w.constantInts("block", new int[] { 2 }, 2, 2),
                        w.constantInts("crops", new int[] { 2, 2 }, 0, 0, 0, 0) }, new int[] { y }, 0)));
        cases.add(unary("EMBEDDING_LOOKUP", new int[] { 3, 2 }, range(1, 6), new int[] { 2, 2 }, floats(5, 6, 1, 2),
                (w, x, y) -> w.op(EMBEDDING_LOOKUP, new int[] { w.constantInts("ids", new int[] { 2 }, 2, 0), x },
                        new int[] { y }, 0)));
        cases.add(new Case("TOPK_V2 values and indices", w -> {
            int x = w.tensor("x", FLOAT32, 1, 4);
            int y = w.tensor("y", FLOAT32, 1, 2);
            int y2 = w.tensor("y2", TfliteWriter.INT32, 1, 2);
            w.op(TOPK_V2, new int[] { x, w.constantInts("k", new int[0], 2) }, new int[] { y, y2 }, 0);
            w.io(new int[] { x }, new int[] { y, y2 });
        }, new int[] { 1, 4 }, floats(1, 5, 3, 2), floats(5, 3), floats(1, 2)));
        cases.add(unary("ONE_HOT on the last axis", new int[0], floats(5), new int[] { 2, 3 }, floats(5, 0, 0, 0, 0, 5),
                (w, x, y) -> w.op(ONE_HOT, new int[] { w.constantInts("indices", new int[] { 2 }, 0, 2),
                        w.constantInts("depth", new int[0], 3), x, w.constant("off", new int[0], 0) }, new int[] { y },
                        ONE_HOT_OPTIONS, Field.i32(0, -1))));
        cases.add(unary("RANGE up to the input", new int[0], floats(3), new int[] { 3 }, floats(0, 1, 2),
                (w, x, y) -> w.op(RANGE, new int[] { w.constant("start", new int[0], 0), x,
                        w.constant("delta", new int[0], 1) }, new int[] { y }, 0)));
        cases.add(logic("LOGICAL_AND of two comparisons", LOGICAL_AND, floats(0, 1, 1, 0)));
        cases.add(logic("LOGICAL_OR of two comparisons", LOGICAL_OR, floats(1, 1, 1, 1)));
        cases.add(unary("LOGICAL_NOT and REDUCE_ANY", new int[] { 2, 2 }, floats(1, 2, -1, -2), new int[] { 2 },
                floats(0, 1), (w, x, y) -> {
                    int positive = w.tensor("positive", BOOL, 2, 2);
                    int negative = w.tensor("negative", BOOL, 2, 2);
                    int any = w.tensor("any", BOOL, 2);
                    w.op(GREATER, new int[] { x, w.constant("zero", new int[0], 0) }, new int[] { positive }, 0);
                    w.op(LOGICAL_NOT, new int[] { positive }, new int[] { negative }, 0);
                    w.op(REDUCE_ANY, new int[] { negative, w.constantInts("axis", new int[] { 1 }, 1) },
                            new int[] { any }, REDUCER_OPTIONS, Field.flag(0, false));
                    w.op(CAST, new int[] { any }, new int[] { y }, 0);
                }));
        return cases;
    }

    /** Operators of detection post-processing, segment reductions, sparse updates and quantization-aware graphs. */
    static List<Case> moreOperators() {
        List<Case> cases = new ArrayList<>();
        cases.add(unary("L2_POOL_2D", new int[] { 1, 2, 2, 1 }, floats(1, 1, 1, 5), new int[] { 1, 1, 1, 1 }, floats(2.645751f),
                (w, x, y) -> w.op(L2_POOL_2D, new int[] { x }, new int[] { y }, POOL_OPTIONS, Field.i8(0, VALID),
                        Field.i32(1, 2), Field.i32(2, 2), Field.i32(3, 2), Field.i32(4, 2), Field.i8(5, 0))));
        cases.add(unary("FAKE_QUANT to 8 bits over [0, 2.55]", new int[] { 1, 4 }, floats(-1, 0.014f, 1.234f, 9),
                new int[] { 1, 4 }, floats(0, 0.01f, 1.23f, 2.55f), (w, x, y) -> w.op(FAKE_QUANT, new int[] { x },
                        new int[] { y }, FAKE_QUANT_OPTIONS, Field.f32(0, 0), Field.f32(1, 2.55f), Field.i32(2, 8),
                        Field.flag(3, false))));
        cases.add(new Case("WHERE of the positive values", w -> {
            int x = w.tensor("x", FLOAT32, 4);
            int positive = w.tensor("positive", BOOL, 4);
            int y = w.tensor("y", INT64, -1, 1);
            w.op(GREATER, new int[] { x, w.constant("zero", new int[0], 0) }, new int[] { positive }, 0);
            w.op(WHERE, new int[] { positive }, new int[] { y }, 0);
            w.io(new int[] { x }, new int[] { y });
        }, new int[] { 4 }, floats(-1, 2, 0, 3), floats(1, 3), null));
        cases.add(new Case("RANK", w -> {
            int x = w.tensor("x", FLOAT32, 1, 2, 3);
            int y = w.tensor("y", TfliteWriter.INT32);
            w.op(RANK, new int[] { x }, new int[] { y }, 0);
            w.io(new int[] { x }, new int[] { y });
        }, new int[] { 1, 2, 3 }, range(1, 6), floats(3), null));
        cases.add(unary("REVERSE_SEQUENCE of each row's first values", new int[] { 2, 3 }, range(1, 6),
                new int[] { 2, 3 }, floats(2, 1, 3, 6, 5, 4), (w, x, y) -> w.op(REVERSE_SEQUENCE, new int[] { x,
                        w.constantInts("lengths", new int[] { 2 }, 2, 3) }, new int[] { y }, REVERSE_SEQUENCE_OPTIONS,
                        Field.i32(0, 1), Field.i32(1, 0))));
        cases.add(unary("MATRIX_DIAG", new int[] { 2 }, floats(1, 2), new int[] { 2, 2 }, floats(1, 0, 0, 2),
                (w, x, y) -> w.op(MATRIX_DIAG, new int[] { x }, new int[] { y }, 0)));
        cases.add(unary("MATRIX_SET_DIAG", new int[] { 2, 2 }, range(1, 4), new int[] { 2, 2 }, floats(9, 2, 3, 8),
                (w, x, y) -> w.op(MATRIX_SET_DIAG, new int[] { x, w.constant("diagonal", new int[] { 2 }, 9, 8) },
                        new int[] { y }, 0)));
        cases.add(unary("SCATTER_ND", new int[] { 2 }, floats(5, 7), new int[] { 4 }, floats(0, 7, 0, 5),
                (w, x, y) -> w.op(SCATTER_ND, new int[] { w.constantInts("indices", new int[] { 2, 1 }, 3, 1), x,
                        w.constantInts("shape", new int[] { 1 }, 4) }, new int[] { y }, 0)));
        cases.add(unary("SEGMENT_SUM", new int[] { 4 }, floats(1, 2, 3, 4), new int[] { 2 }, floats(3, 7),
                (w, x, y) -> w.op(SEGMENT_SUM, new int[] { x, w.constantInts("segments", new int[] { 4 }, 0, 0, 1, 1) },
                        new int[] { y }, 0)));
        cases.add(unary("UNSORTED_SEGMENT_MAX", new int[] { 4 }, floats(1, 9, 3, 4), new int[] { 2 }, floats(4, 9),
                (w, x, y) -> w.op(UNSORTED_SEGMENT_MAX, new int[] { x, w.constantInts("segments", new int[] { 4 }, 0, 1,
                        0, 0), w.constantInts("count", new int[0], 2) }, new int[] { y }, 0)));
        cases.add(unary("REDUCE_ALL of a comparison", new int[] { 2, 2 }, floats(1, 2, -1, 2), new int[] { 2 },
                floats(1, 0), (w, x, y) -> {
                    int positive = w.tensor("positive", BOOL, 2, 2);
                    int all = w.tensor("all", BOOL, 2);
                    w.op(GREATER, new int[] { x, w.constant("zero", new int[0], 0) }, new int[] { positive }, 0);
                    w.op(REDUCE_ALL, new int[] { positive, w.constantInts("axis", new int[] { 1 }, 1) },
                            new int[] { all }, REDUCER_OPTIONS, Field.flag(0, false));
                    w.op(CAST, new int[] { all }, new int[] { y }, 0);
                }));
        cases.add(unary("CONV_3D with bias", new int[] { 1, 2, 1, 1, 1 }, floats(1, 2), new int[] { 1, 1, 1, 1, 1 },
                floats(3.5f), (w, x, y) -> w.op(CONV_3D, new int[] { x, w.constant("filter", new int[] { 2, 1, 1, 1, 1 },
                        1, 1), w.constant("bias", new int[] { 1 }, 0.5f) }, new int[] { y }, CONV_3D_OPTIONS,
                        Field.i8(0, VALID), Field.i32(1, 1), Field.i32(2, 1), Field.i32(3, 1), Field.i8(4, 0),
                        Field.i32(5, 1), Field.i32(6, 1), Field.i32(7, 1))));
        // boxes 0 and 1 overlap (IoU 0.82): 1 scores higher, so 0 is suppressed; box 2 is apart
        cases.add(new Case("NON_MAX_SUPPRESSION_V4", w -> {
            int scores = w.tensor("x", FLOAT32, 3);
            int y = w.tensor("y", TfliteWriter.INT32, 3);
            int valid = w.tensor("valid", TfliteWriter.INT32);
            w.op(NON_MAX_SUPPRESSION_V4, new int[] { w.constant("boxes", new int[] { 3, 4 }, 0, 0, 1, 1, 0, 0.1f, 1,
                    1.1f, 5, 5, 6, 6), scores, w.constantInts("max", new int[0], 3), w.constant("iou", new int[0], 0.5f),
                    w.constant("min_score", new int[0], 0) }, new int[] { y, valid }, 0);
            w.io(new int[] { scores }, new int[] { y, valid });
        }, new int[] { 3 }, floats(0.6f, 0.9f, 0.3f), floats(1, 2, 0), floats(2)));
        return cases;
    }

    /** WHILE over (v, i) from (x, 0): while i < 3, (v * 2, i + 1); y = v = 8x. */
    static Case whileDoubling() {
        return new Case("WHILE doubling three times", w -> {
            int x = w.tensor("x", FLOAT32, 1, 2);
            int start = w.constantInts("start", new int[0], 0);
            int count = w.tensor("count", TfliteWriter.INT32);
            int y = w.tensor("y", FLOAT32, 1, 2);
            TfliteWriter cond = w.subgraph("cond");
            int ci = cond.tensor("i", TfliteWriter.INT32);
            int cv = cond.tensor("v", FLOAT32, 1, 2);
            int more = cond.tensor("more", BOOL);
            cond.op(LESS, new int[] { ci, cond.constantInts("three", new int[0], 3) }, new int[] { more }, 0);
            cond.io(new int[] { cv, ci }, new int[] { more });
            TfliteWriter body = w.subgraph("body");
            int bi = body.tensor("i", TfliteWriter.INT32);
            int bv = body.tensor("v", FLOAT32, 1, 2);
            int next = body.tensor("next", TfliteWriter.INT32);
            int doubled = body.tensor("doubled", FLOAT32, 1, 2);
            body.op(ADD, new int[] { bi, body.constantInts("one", new int[0], 1) }, new int[] { next }, ADD_OPTIONS,
                    Field.i8(0, 0));
            body.op(MUL, new int[] { bv, body.constant("two", new int[0], 2) }, new int[] { doubled }, MUL_OPTIONS,
                    Field.i8(0, 0));
            body.io(new int[] { bv, bi }, new int[] { doubled, next });
            w.op(WHILE, new int[] { x, start }, new int[] { y, count }, WHILE_OPTIONS, Field.i32(0, 1), Field.i32(1, 2));
            w.io(new int[] { x }, new int[] { y });
        }, new int[] { 1, 2 }, floats(1, -2), floats(8, -16), null);
    }

    /**
     * One unit, one feature, two steps from zero states: gate weights (input, forget, cell, output) 0.5, 0.4,
     * 0.3, 0.2 on x and 0.1, 0.2, 0.3, 0.4 on h, forget bias 1, TANH; with CIFG the input gate is 1 - forget.
     * Expected values worked out with the LSTM equations in double precision.
     */
    static Case lstm(String name, boolean cifg, float cellClip, float[] expected) {
        return new Case(name, w -> {
            int x = w.tensor("x", FLOAT32, 1, 2, 1);
            int y = w.tensor("y", FLOAT32, 1, 2, 1);
            int[] in = new int[24];
            java.util.Arrays.fill(in, -1);
            in[0] = x;
            float[] inputWeights = { 0.5f, 0.4f, 0.3f, 0.2f };
            float[] recurrentWeights = { 0.1f, 0.2f, 0.3f, 0.4f };
            float[] biases = { 0, 1, 0, 0 };
            for (int k = cifg ? 1 : 0; k < 4; k++) {
                in[1 + k] = w.constant("w" + k, new int[] { 1, 1 }, inputWeights[k]);
                in[5 + k] = w.constant("r" + k, new int[] { 1, 1 }, recurrentWeights[k]);
                in[12 + k] = w.constant("b" + k, new int[] { 1 }, biases[k]);
            }
            in[18] = w.tensor("output_state", FLOAT32, 1, 1);
            in[19] = w.tensor("cell_state", FLOAT32, 1, 1);
            w.op(UNIDIRECTIONAL_SEQUENCE_LSTM, in, new int[] { y }, LSTM_OPTIONS, Field.i8(0, 4), Field.f32(1, cellClip),
                    Field.f32(2, 0), Field.flag(3, false));
            w.io(new int[] { x }, new int[] { y });
        }, new int[] { 1, 2, 1 }, floats(1, 2), expected, null);
    }

    /** IF sum(x) > 0 then 2x else -x. */
    static Case ifOnTheSign(String name, float[] input, float[] expected) {
        return new Case(name, w -> {
            int x = w.tensor("x", FLOAT32, 1, 2);
            int sum = w.tensor("sum", FLOAT32);
            int positive = w.tensor("positive", BOOL);
            int y = w.tensor("y", FLOAT32, 1, 2);
            w.op(SUM, new int[] { x, w.constantInts("axes", new int[] { 2 }, 0, 1) }, new int[] { sum },
                    REDUCER_OPTIONS, Field.flag(0, false));
            w.op(GREATER, new int[] { sum, w.constant("zero", new int[0], 0) }, new int[] { positive }, 0);
            TfliteWriter then = w.subgraph("then");
            int tx = then.tensor("x", FLOAT32, 1, 2);
            int twice = then.tensor("twice", FLOAT32, 1, 2);
            then.op(MUL, new int[] { tx, then.constant("two", new int[0], 2) }, new int[] { twice }, MUL_OPTIONS,
                    Field.i8(0, 0));
            then.io(new int[] { tx }, new int[] { twice });
            TfliteWriter otherwise = w.subgraph("else");
            int ex = otherwise.tensor("x", FLOAT32, 1, 2);
            int negated = otherwise.tensor("negated", FLOAT32, 1, 2);
            otherwise.op(NEG, new int[] { ex }, new int[] { negated }, 0);
            otherwise.io(new int[] { ex }, new int[] { negated });
            w.op(IF, new int[] { positive, x }, new int[] { y }, IF_OPTIONS, Field.i32(0, 1), Field.i32(1, 2));
            w.io(new int[] { x }, new int[] { y });
        }, new int[] { 1, 2 }, input, expected, null);
    }

    /** x = {-1, 1, 2, 5}: (x > 0) OP (x < 3), as floats. */
    static Case logic(String name, int code, float[] expected) {
        return unary(name, new int[] { 1, 4 }, floats(-1, 1, 2, 5), new int[] { 1, 4 }, expected, (w, x, y) -> {
            int positive = w.tensor("positive", BOOL, 1, 4);
            int small = w.tensor("small", BOOL, 1, 4);
            int both = w.tensor("both", BOOL, 1, 4);
            w.op(GREATER, new int[] { x, w.constant("zero", new int[0], 0) }, new int[] { positive }, 0);
            w.op(LESS, new int[] { x, w.constant("three", new int[0], 3) }, new int[] { small }, 0);
            w.op(code, new int[] { positive, small }, new int[] { both }, 0);
            w.op(CAST, new int[] { both }, new int[] { y }, 0);
        });
    }

    interface OneOp {
        void write(TfliteWriter w, int x, int y);
    }

    static Case unary(String name, int[] inShape, float[] input, int[] outShape, float[] expected, OneOp op) {
        return new Case(name, w -> {
            int x = w.tensor("x", FLOAT32, inShape);
            int y = w.tensor("y", FLOAT32, outShape);
            op.write(w, x, y);
            w.io(new int[] { x }, new int[] { y });
        }, inShape, input, expected, null);
    }

    /** x = {1, 2, 3, 4} against the constant {0, 5, -10, 1} (DIV: against {0, 5, -10, 1} too). */
    static Case binary(String name, int code, int optionsType, int activation, float[] expected) {
        return unary(name, new int[] { 1, 4 }, floats(1, 2, 3, 4), new int[] { 1, 4 }, expected,
                (w, x, y) -> w.op(code, new int[] { x, w.constant("c", new int[] { 4 }, 0, 5, -10, 1) }, new int[] { y },
                        optionsType, Field.i8(0, activation)));
    }

    static float[] floats(float... values) {
        return values;
    }

    static float[] range(int from, int to) {
        float[] values = new float[to - from + 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = from + i;
        }
        return values;
    }

    static float[] values(TensorData t) {
        float[] values = new float[(int) t.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) t.getDouble(i);
        }
        return values;
    }
}
