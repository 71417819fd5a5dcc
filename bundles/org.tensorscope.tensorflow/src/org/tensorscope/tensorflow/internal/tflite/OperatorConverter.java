package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;

/**
 * Turns one TFLite builtin operator (or a custom one of MediaPipe's that TensorFlow can compute) into plain
 * TensorFlow ops. A fused activation becomes an op of
 * its own after the main one (a NaN or infinity it produces or hides is seen there), a bias its own
 * BiasAdd; the last op keeps the name of the TFLite tensor computed, the steps before it are named
 * under it ({@code name/Conv2D}, {@code name/BiasAdd}, then {@code name} for the Relu). Weights keep
 * TFLite's layout as Const ops and are rearranged by a Transpose or Reshape in the graph, so their
 * health is reported on the values the file holds.
 */
final class OperatorConverter {

    static final int ADD = 0, AVERAGE_POOL_2D = 1, CONCATENATION = 2, CONV_2D = 3, DEPTHWISE_CONV_2D = 4,
            DEPTH_TO_SPACE = 5, DEQUANTIZE = 6, FLOOR = 8, FULLY_CONNECTED = 9, LOGISTIC = 14, MAX_POOL_2D = 17,
            MUL = 18, RELU = 19, RELU_N1_TO_1 = 20, RELU6 = 21, RESHAPE = 22, RESIZE_BILINEAR = 23, SOFTMAX = 25,
            SPACE_TO_DEPTH = 26, TANH = 28, PAD = 34, GATHER = 36, TRANSPOSE = 39, MEAN = 40, SUB = 41, DIV = 42,
            SQUEEZE = 43, STRIDED_SLICE = 45, EXP = 47, SPLIT = 49, LOG_SOFTMAX = 50, CAST = 53, PRELU = 54,
            MAXIMUM = 55, ARG_MAX = 56, MINIMUM = 57, LESS = 58, NEG = 59, PADV2 = 60, GREATER = 61,
            GREATER_EQUAL = 62, LESS_EQUAL = 63, SELECT = 64, SLICE = 65, SIN = 66, TRANSPOSE_CONV = 67, TILE = 69,
            EXPAND_DIMS = 70, EQUAL = 71, NOT_EQUAL = 72, LOG = 73, SUM = 74, SQRT = 75, RSQRT = 76, SHAPE = 77,
            POW = 78, ARG_MIN = 79, REDUCE_PROD = 81, REDUCE_MAX = 82, PACK = 83, UNPACK = 88, REDUCE_MIN = 89,
            FLOOR_DIV = 90, SQUARE = 92, ZEROS_LIKE = 93, FILL = 94, FLOOR_MOD = 95, RESIZE_NEAREST_NEIGHBOR = 97,
            LEAKY_RELU = 98, SQUARED_DIFFERENCE = 99, MIRROR_PAD = 100, ABS = 101, SPLIT_V = 102, CEIL = 104,
            ADD_N = 106, GATHER_ND = 107, COS = 108, ELU = 111, QUANTIZE = 114, ROUND = 116, HARD_SWISH = 117,
            SELECT_V2 = 123, DENSIFY = 124, BATCH_MATMUL = 126, BROADCAST_TO = 130, EMBEDDING_LOOKUP = 7,
            L2_NORMALIZATION = 11, LOCAL_RESPONSE_NORMALIZATION = 13, BATCH_TO_SPACE_ND = 37, SPACE_TO_BATCH_ND = 38, TOPK_V2 = 48,
            LOGICAL_OR = 84, ONE_HOT = 85, LOGICAL_AND = 86, LOGICAL_NOT = 87, REDUCE_ANY = 91, RANGE = 96,
            REVERSE_V2 = 105, CUMSUM = 128, GELU = 150, RELU_0_TO_1 = 152, ATAN2 = 156, SIGN = 158, IF = 118,
            WHILE = 119, UNIDIRECTIONAL_SEQUENCE_LSTM = 44, L2_POOL_2D = 12, FAKE_QUANT = 80, WHERE = 109, RANK = 110,
            REVERSE_SEQUENCE = 112, MATRIX_DIAG = 113, MATRIX_SET_DIAG = 115, NON_MAX_SUPPRESSION_V4 = 120,
            NON_MAX_SUPPRESSION_V5 = 121, SCATTER_ND = 122, SEGMENT_SUM = 125, CONV_3D = 132, REDUCE_ALL = 140,
            UNSORTED_SEGMENT_PROD = 153, UNSORTED_SEGMENT_MAX = 154, UNSORTED_SEGMENT_SUM = 155,
            UNSORTED_SEGMENT_MIN = 157;

    /** ActivationFunctionType of the schema. */
    private static final int ACT_NONE = 0, ACT_RELU = 1, ACT_RELU_N1_TO_1 = 2, ACT_RELU6 = 3, ACT_TANH = 4;

    private static final Map<Integer, String> UNARY = new HashMap<>(Map.ofEntries(Map.entry(EXP, "Exp"),
            Map.entry(LOG, "Log"), Map.entry(SQRT, "Sqrt"), Map.entry(RSQRT, "Rsqrt"), Map.entry(SQUARE, "Square"),
            Map.entry(ABS, "Abs"), Map.entry(NEG, "Neg"), Map.entry(FLOOR, "Floor"), Map.entry(CEIL, "Ceil"),
            Map.entry(ROUND, "Round"), Map.entry(SIN, "Sin"), Map.entry(COS, "Cos"), Map.entry(LOGISTIC, "Sigmoid"),
            Map.entry(TANH, "Tanh"), Map.entry(RELU, "Relu"), Map.entry(RELU6, "Relu6"), Map.entry(ELU, "Elu"),
            Map.entry(LOG_SOFTMAX, "LogSoftmax"), Map.entry(ZEROS_LIKE, "ZerosLike"), Map.entry(SIGN, "Sign")));

    private static final Map<Integer, String> BINARY = Map.ofEntries(Map.entry(MAXIMUM, "Maximum"),
            Map.entry(MINIMUM, "Minimum"), Map.entry(POW, "Pow"), Map.entry(SQUARED_DIFFERENCE, "SquaredDifference"),
            Map.entry(FLOOR_DIV, "FloorDiv"), Map.entry(FLOOR_MOD, "FloorMod"), Map.entry(LESS, "Less"),
            Map.entry(GREATER, "Greater"), Map.entry(GREATER_EQUAL, "GreaterEqual"), Map.entry(LESS_EQUAL, "LessEqual"),
            Map.entry(EQUAL, "Equal"), Map.entry(NOT_EQUAL, "NotEqual"), Map.entry(ATAN2, "Atan2"));

    private static final Map<Integer, String> REDUCTIONS = Map.of(MEAN, "Mean", SUM, "Sum", REDUCE_MAX, "Max",
            REDUCE_MIN, "Min", REDUCE_PROD, "Prod");

    private static final Map<Integer, String> UNSORTED_SEGMENTS = Map.of(UNSORTED_SEGMENT_SUM, "UnsortedSegmentSum",
            UNSORTED_SEGMENT_PROD, "UnsortedSegmentProd", UNSORTED_SEGMENT_MAX, "UnsortedSegmentMax",
            UNSORTED_SEGMENT_MIN, "UnsortedSegmentMin");

    private final TfliteGraphBuilder g;

    OperatorConverter(TfliteGraphBuilder graph) {
        this.g = graph;
    }

    void convert(TfliteOperator op, int code, String customCode) {
        int[] in = op.inputs();
        int[] out = op.outputs();
        if (out.length == 0) {
            return;
        }
        for (int o : out) {
            g.tflite(o);
        }
        TfliteOptions options = op.options();
        String name = g.nameFor(out[0]);
        try {
            if (code == BuiltinOperators.CUSTOM) {
                String refusal = convertCustom(op, customCode, name, in, out);
                if (refusal != null) {
                    notRunnable(code, customCode, name, out, refusal);
                }
            } else if (!convertBuiltin(code, name, in, out, options)) {
                notRunnable(code, customCode, name, out, "Tensorscope does not convert it to TensorFlow yet");
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(BuiltinOperators.name(code) + " " + name + " has " + in.length
                    + " inputs, fewer than it needs", e);
        }
    }

    /**
     * MediaPipe's custom ops that TensorFlow computes as they are. Convolution2DTransposeBias (the upsampling of
     * its segmentation models): inputs x, filter [out, h, w, in] and bias; its custom options are TFLite's C struct
     * TfLiteTransposeConvParams, little-endian: padding (1 same, 2 valid), stride width, stride height.
     *
     * @return null when converted, else why it cannot run, in words
     */
    private String convertCustom(TfliteOperator op, String customCode, String name, int[] in, int[] out) {
        if (!customCode.equals("Convolution2DTransposeBias")) {
            return "it has no TensorFlow equivalent";
        }
        if (in.length < 3) {
            return "it has " + in.length + " inputs, where it takes the image, the filter and the bias";
        }
        ByteBuffer params = op.hasCustomOptions() ? op.customOptions().order(ByteOrder.LITTLE_ENDIAN) : null;
        if (params == null || params.remaining() < 12) {
            return "its options hold " + (params == null ? 0 : params.remaining())
                    + " bytes, not the 12 of its padding and strides";
        }
        int[] shape = g.shape(out[0]);
        // the output's size comes from the file (the op has no output-shape input): an image's four known dimensions
        if (shape.length != 4 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
            // no apostrophes: TensorFlow escapes quotes in the message of the assertion that stands for the op
            return "the file does not give the size of its output as four known dimensions (it gives "
                    + Arrays.toString(shape) + "), and the op takes its size from there";
        }
        int padding = params.getInt(params.position());
        int strideWidth = params.getInt(params.position() + 4);
        int strideHeight = params.getInt(params.position() + 8);
        if (padding != 1 && padding != 2 || strideWidth < 1 || strideHeight < 1) {
            return "its options give padding " + padding + " (1 is same, 2 valid) and strides " + strideWidth + " x "
                    + strideHeight + ", which no transpose convolution has";
        }
        // inputs: x, filter, bias
        transposeConv(name, out[0], g.ints(name + "/output_shape", shape), in, 0, 2, strideHeight, strideWidth,
                string(padding == 2 ? "VALID" : "SAME"), ACT_NONE);
        return null;
    }

    /** A transpose convolution whose filter (input 1) is TFLite's [out, h, w, in]; TensorFlow's is [h, w, out, in]. */
    private void transposeConv(String name, int y, String outputShape, int[] in, int x, int biasInput, int strideHeight,
            int strideWidth, AttrValue padding, int activation) {
        String filter = transpose(name + "/filter", in[1], 1, 2, 0, 3);
        String conv = g.add(step(name, "Conv2DBackpropInput", in, biasInput, activation), "Conv2DBackpropInput",
                List.of(outputShape, filter, g.tensor(in[x])), attrs("T", t(in[x]), "strides",
                        ints(1, strideHeight, strideWidth, 1), "padding", padding));
        finish(name, y, bias(name, conv, in, biasInput, activation), activation);
    }

    private boolean convertBuiltin(int code, String name, int[] in, int[] out, TfliteOptions o) {
        int y = out[0];
        switch (code) {
            case CONV_2D -> {
                // filter [out, h, w, in] -> TensorFlow's [h, w, in, out]
                String filter = transpose(name + "/filter", in[1], 1, 2, 3, 0);
                String conv = g.add(step(name, "Conv2D", in, 2, o.enumByte(3)), "Conv2D", List.of(g.tensor(in[0]), filter),
                        attrs("T", t(in[0]), "strides", ints(1, o.integer(2, 0), o.integer(1, 0), 1), "padding",
                                padding(o.enumByte(0)), "dilations", ints(1, o.integer(5, 1), o.integer(4, 1), 1)));
                finish(name, y, bias(name, conv, in, 2, o.enumByte(3)), o.enumByte(3));
            }
            case DEPTHWISE_CONV_2D -> {
                // filter [1, h, w, in*multiplier] -> TensorFlow's [h, w, in, multiplier], same order in memory
                int[] fs = g.shape(in[1]);
                int channels = g.shape(in[0])[3];
                int multiplier = channels > 0 ? fs[3] / channels : Math.max(1, o.integer(3, 1));
                channels = fs[3] / multiplier;
                String filter = g.add(g.unique(name + "/filter"), "Reshape", List.of(g.tensor(in[1]),
                        g.ints(name + "/filter/shape", fs[1], fs[2], channels, multiplier)),
                        attrs("T", t(in[1]), "Tshape", type(DataType.DT_INT32)));
                String conv = g.add(step(name, "DepthwiseConv2dNative", in, 2, o.enumByte(4)), "DepthwiseConv2dNative",
                        List.of(g.tensor(in[0]), filter), attrs("T", t(in[0]), "strides",
                                ints(1, o.integer(2, 0), o.integer(1, 0), 1), "padding", padding(o.enumByte(0)),
                                "dilations", ints(1, o.integer(6, 1), o.integer(5, 1), 1)));
                finish(name, y, bias(name, conv, in, 2, o.enumByte(4)), o.enumByte(4));
            }
            // inputs: output shape, filter, x, optional bias
            case TRANSPOSE_CONV -> transposeConv(name, y, g.tensor(in[0]), in, 2, 3, o.integer(2, 0), o.integer(1, 0),
                    padding(o.enumByte(0)), o.enumByte(3));
            case FULLY_CONNECTED -> {
                int[] ws = g.shape(in[1]);
                String x = g.tensor(in[0]);
                if (g.shape(in[0]).length != 2) {
                    x = g.add(g.unique(name + "/Reshape"), "Reshape", List.of(x, g.ints(name + "/Reshape/shape", -1,
                            ws[1])), attrs("T", t(in[0]), "Tshape", type(DataType.DT_INT32)));
                }
                int act = o.enumByte(0);
                boolean reshapeBack = g.shape(y).length != 2;
                String matmul = g.add(reshapeBack ? g.unique(name + "/MatMul") : step(name, "MatMul", in, 2, act),
                        "MatMul", List.of(x, g.tensor(in[1])), attrs("T", t(in[0]), "transpose_a", bool(false),
                                "transpose_b", bool(true)));
                String value = in.length > 2 && in[2] >= 0 ? g.add(reshapeBack || act != ACT_NONE
                        ? g.unique(name + "/BiasAdd") : name, "BiasAdd", List.of(matmul, g.tensor(in[2])),
                        attrs("T", t(in[0]))) : matmul;
                if (reshapeBack) {
                    int[] ys = g.shape(y);
                    value = g.add(act == ACT_NONE ? name : g.unique(name + "/Reshape_1"), "Reshape",
                            List.of(value, g.ints(name + "/Reshape_1/shape", ys)),
                            attrs("T", t(in[0]), "Tshape", type(DataType.DT_INT32)));
                }
                finish(name, y, value, act);
            }
            case ADD, SUB, MUL, DIV -> {
                String tfOp = switch (code) {
                    case ADD -> "AddV2";
                    case SUB -> "Sub";
                    case MUL -> "Mul";
                    default -> g.dtype(in[0]) == DataType.DT_FLOAT || g.dtype(in[0]) == DataType.DT_DOUBLE ? "RealDiv"
                            : "FloorDiv";
                };
                int act = o.enumByte(0);
                String value = g.add(act == ACT_NONE ? name : g.unique(name + "/" + tfOp), tfOp,
                        List.of(g.tensor(in[0]), g.tensor(in[1])), attrs("T", t(in[0])));
                finish(name, y, value, act);
            }
            case CONCATENATION -> {
                int act = o.enumByte(1);
                List<String> inputs = new ArrayList<>();
                for (int i : in) {
                    inputs.add(g.tensor(i));
                }
                inputs.add(g.intScalar(name + "/axis", o.integer(0, 0)));
                String value = g.add(act == ACT_NONE ? name : g.unique(name + "/ConcatV2"), "ConcatV2", inputs,
                        attrs("T", t(in[0]), "N", AttrValue.newBuilder().setI(in.length).build(), "Tidx",
                                type(DataType.DT_INT32)));
                finish(name, y, value, act);
            }
            case RESHAPE -> {
                String shape;
                DataType shapeType = DataType.DT_INT32;
                if (in.length > 1 && in[1] >= 0) {
                    shape = g.tensor(in[1]);
                    shapeType = g.dtype(in[1]);
                } else {
                    int[] newShape = o.integers(0);
                    shape = g.ints(name + "/shape", newShape.length > 0 ? newShape : g.shape(y));
                }
                g.produce(y, g.add(name, "Reshape", List.of(g.tensor(in[0]), shape),
                        attrs("T", t(in[0]), "Tshape", type(shapeType))));
            }
            case AVERAGE_POOL_2D, MAX_POOL_2D -> {
                String tfOp = code == MAX_POOL_2D ? "MaxPool" : "AvgPool";
                int act = o.enumByte(5);
                String value = g.add(act == ACT_NONE ? name : g.unique(name + "/" + tfOp), tfOp, List.of(g.tensor(in[0])),
                        attrs("T", t(in[0]), "ksize", ints(1, o.integer(4, 0), o.integer(3, 0), 1), "strides",
                                ints(1, o.integer(2, 0), o.integer(1, 0), 1), "padding", padding(o.enumByte(0))));
                finish(name, y, value, act);
            }
            case MEAN, SUM, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD -> g.produce(y, g.add(name, REDUCTIONS.get(code),
                    List.of(g.tensor(in[0]), g.tensor(in[1])), attrs("T", t(in[0]), "Tidx", t(in[1]), "keep_dims",
                            bool(o.flag(0, false)))));
            case PAD -> g.produce(y, g.add(name, "Pad", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tpaddings", t(in[1]))));
            case PADV2 -> g.produce(y, g.add(name, "PadV2", List.of(g.tensor(in[0]), g.tensor(in[1]), g.tensor(in[2])),
                    attrs("T", t(in[0]), "Tpaddings", t(in[1]))));
            case MIRROR_PAD -> g.produce(y, g.add(name, "MirrorPad", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tpaddings", t(in[1]), "mode", string(o.enumByte(0) == 0 ? "REFLECT"
                            : "SYMMETRIC"))));
            case SOFTMAX -> {
                // TFLite computes softmax(beta * x); the schema's default beta is 0
                float beta = o.real(0, 0f);
                String x = g.tensor(in[0]);
                if (beta != 1f) {
                    x = g.add(g.unique(name + "/beta"), "Mul", List.of(x, g.scalar(name + "/beta/value", beta)),
                            attrs("T", t(in[0])));
                }
                g.produce(y, g.add(name, "Softmax", List.of(x), attrs("T", t(in[0]))));
            }
            case RELU_N1_TO_1 -> g.produce(y, clip(name, g.tensor(in[0]), -1, 1));
            case RELU_0_TO_1 -> g.produce(y, clip(name, g.tensor(in[0]), 0, 1));
            case GELU -> g.produce(y, gelu(name, in[0], o.flag(0, false)));
            case L2_NORMALIZATION -> finish(name, y, l2Normalize(o.enumByte(0) == ACT_NONE ? name
                    : g.unique(name + "/truediv"), in[0]), o.enumByte(0));
            case LOCAL_RESPONSE_NORMALIZATION -> g.produce(y, g.add(name, "LRN", List.of(g.tensor(in[0])),
                    attrs("T", t(in[0]), "depth_radius", integer(o.integer(0, 0)), "bias", real(o.real(1, 0f)),
                            "alpha", real(o.real(2, 0f)), "beta", real(o.real(3, 0f)))));
            case SPACE_TO_BATCH_ND -> g.produce(y, g.add(name, "SpaceToBatchND", List.of(g.tensor(in[0]),
                    g.tensor(in[1]), g.tensor(in[2])), attrs("T", t(in[0]), "Tblock_shape", t(in[1]), "Tpaddings",
                            t(in[2]))));
            case BATCH_TO_SPACE_ND -> g.produce(y, g.add(name, "BatchToSpaceND", List.of(g.tensor(in[0]),
                    g.tensor(in[1]), g.tensor(in[2])), attrs("T", t(in[0]), "Tblock_shape", t(in[1]), "Tcrops",
                            t(in[2]))));
            case REVERSE_V2 -> g.produce(y, g.add(name, "ReverseV2", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tidx", t(in[1]))));
            case CUMSUM -> g.produce(y, g.add(name, "Cumsum", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tidx", t(in[1]), "exclusive", bool(o.flag(0, false)), "reverse",
                            bool(o.flag(1, false)))));
            case LOGICAL_AND, LOGICAL_OR -> g.produce(y, g.add(name, code == LOGICAL_AND ? "LogicalAnd" : "LogicalOr",
                    List.of(g.tensor(in[0]), g.tensor(in[1])), Map.of()));
            case LOGICAL_NOT -> g.produce(y, g.add(name, "LogicalNot", List.of(g.tensor(in[0])), Map.of()));
            case REDUCE_ANY -> g.produce(y, g.add(name, "Any", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("Tidx", t(in[1]), "keep_dims", bool(o.flag(0, false)))));
            case RANGE -> g.produce(y, g.add(name, "Range", List.of(g.tensor(in[0]), g.tensor(in[1]), g.tensor(in[2])),
                    attrs("Tidx", t(in[0]))));
            case ONE_HOT -> g.produce(y, g.add(name, "OneHot", List.of(g.tensor(in[0]), g.tensor(in[1]),
                    g.tensor(in[2]), g.tensor(in[3])), attrs("T", t(in[2]), "TI", t(in[0]), "axis",
                            integer(o.integer(0, 0)))));
            case TOPK_V2 -> produceAll(out, g.add(name, "TopKV2", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "sorted", bool(true))));
            case CONV_3D -> {
                // filter [d, h, w, in, out], as TensorFlow's; options: padding, stride d, w, h, activation, dilation d, w, h
                int act = o.enumByte(4);
                String conv = g.add(step(name, "Conv3D", in, 2, act), "Conv3D", List.of(g.tensor(in[0]),
                        g.tensor(in[1])), attrs("T", t(in[0]), "strides", ints(1, o.integer(1, 1), o.integer(3, 1),
                                o.integer(2, 1), 1), "padding", padding(o.enumByte(0)), "dilations", ints(1,
                                        o.integer(5, 1), o.integer(7, 1), o.integer(6, 1), 1)));
                finish(name, y, bias(name, conv, in, 2, act), act);
            }
            case L2_POOL_2D -> {
                // sqrt(mean of squares over the window)
                int act = o.enumByte(5);
                String square = g.add(g.unique(name + "/Square"), "Square", List.of(g.tensor(in[0])), attrs("T", t(in[0])));
                String mean = g.add(g.unique(name + "/AvgPool"), "AvgPool", List.of(square), attrs("T", t(in[0]), "ksize",
                        ints(1, o.integer(4, 0), o.integer(3, 0), 1), "strides", ints(1, o.integer(2, 0),
                                o.integer(1, 0), 1), "padding", padding(o.enumByte(0))));
                finish(name, y, g.add(act == ACT_NONE ? name : g.unique(name + "/Sqrt"), "Sqrt", List.of(mean),
                        attrs("T", t(in[0]))), act);
            }
            case FAKE_QUANT -> g.produce(y, g.add(name, "FakeQuantWithMinMaxArgs", List.of(g.tensor(in[0])),
                    attrs("min", real(o.real(0, 0f)), "max", real(o.real(1, 0f)), "num_bits", integer(o.integer(2, 8)),
                            "narrow_range", bool(o.flag(3, false)))));
            case WHERE -> g.produce(y, g.add(name, "Where", List.of(g.tensor(in[0])), attrs("T", t(in[0]))));
            case RANK -> g.produce(y, g.add(name, "Rank", List.of(g.tensor(in[0])), attrs("T", t(in[0]))));
            case REVERSE_SEQUENCE -> g.produce(y, g.add(name, "ReverseSequence", List.of(g.tensor(in[0]),
                    g.tensor(in[1])), attrs("T", t(in[0]), "Tlen", t(in[1]), "seq_dim", integer(o.integer(0, 0)),
                            "batch_dim", integer(o.integer(1, 0)))));
            case MATRIX_DIAG -> g.produce(y, g.add(name, "MatrixDiag", List.of(g.tensor(in[0])), attrs("T", t(in[0]))));
            case MATRIX_SET_DIAG -> g.produce(y, g.add(name, "MatrixSetDiag", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]))));
            case SCATTER_ND -> g.produce(y, g.add(name, "ScatterNd", List.of(g.tensor(in[0]), g.tensor(in[1]),
                    g.tensor(in[2])), attrs("T", t(in[1]), "Tindices", t(in[0]))));
            case SEGMENT_SUM -> g.produce(y, g.add(name, "SegmentSum", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tindices", t(in[1]))));
            case UNSORTED_SEGMENT_SUM, UNSORTED_SEGMENT_PROD, UNSORTED_SEGMENT_MAX, UNSORTED_SEGMENT_MIN -> g.produce(y,
                    g.add(name, UNSORTED_SEGMENTS.get(code), List.of(g.tensor(in[0]), g.tensor(in[1]), g.tensor(in[2])),
                            attrs("T", t(in[0]), "Tindices", t(in[1]), "Tnumsegments", t(in[2]))));
            case REDUCE_ALL -> g.produce(y, g.add(name, "All", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("Tidx", t(in[1]), "keep_dims", bool(o.flag(0, false)))));
            case NON_MAX_SUPPRESSION_V4 -> produceAll(out, g.add(name, "NonMaxSuppressionV4", List.of(g.tensor(in[0]),
                    g.tensor(in[1]), g.tensor(in[2]), g.tensor(in[3]), g.tensor(in[4])), attrs("T", t(in[0]),
                            "T_threshold", t(in[3]), "pad_to_max_output_size", bool(true))));
            case NON_MAX_SUPPRESSION_V5 -> produceAll(out, g.add(name, "NonMaxSuppressionV5", List.of(g.tensor(in[0]),
                    g.tensor(in[1]), g.tensor(in[2]), g.tensor(in[3]), g.tensor(in[4]), g.tensor(in[5])),
                    attrs("T", t(in[0]), "pad_to_max_output_size", bool(true))));
            case UNIDIRECTIONAL_SEQUENCE_LSTM -> {
                return new SequenceLstmConverter(g).convert(name, in, y, o);
            }
            case WHILE -> {
                // loop variables in, the same out; WhileOptions: cond_subgraph_index, body_subgraph_index
                String cond = g.function(o.integer(0, -1));
                String body = g.function(o.integer(1, -1));
                produceAll(out, g.add(name, "While", tensors(in, 0), attrs("T", types(in, 0), "cond", function(cond),
                        "body", function(body), "parallel_iterations", integer(10))));
            }
            case IF -> {
                // the condition, then the branches' arguments; IfOptions: then_subgraph_index, else_subgraph_index
                String then = g.function(o.integer(0, -1));
                String otherwise = g.function(o.integer(1, -1));
                produceAll(out, g.add(name, "If", tensors(in, 0), attrs("Tcond", t(in[0]), "Tin", types(in, 1),
                        "Tout", types(out, 0), "then_branch", function(then), "else_branch", function(otherwise))));
            }
            case EMBEDDING_LOOKUP -> g.produce(y, g.add(name, "GatherV2", List.of(g.tensor(in[1]), g.tensor(in[0]),
                    g.intScalar(name + "/axis", 0)), attrs("Tparams", t(in[1]), "Tindices", t(in[0]), "Taxis",
                            type(DataType.DT_INT32))));
            case LEAKY_RELU -> g.produce(y, g.add(name, "LeakyRelu", List.of(g.tensor(in[0])),
                    attrs("T", t(in[0]), "alpha", AttrValue.newBuilder().setF(o.real(0, 0f)).build())));
            case HARD_SWISH -> {
                // x * relu6(x + 3) / 6
                String x = g.tensor(in[0]);
                String plus = g.add(g.unique(name + "/add"), "AddV2", List.of(x, g.scalar(name + "/three", 3f)),
                        attrs("T", t(in[0])));
                String relu6 = g.add(g.unique(name + "/Relu6"), "Relu6", List.of(plus), attrs("T", t(in[0])));
                String times = g.add(g.unique(name + "/mul"), "Mul", List.of(x, relu6), attrs("T", t(in[0])));
                g.produce(y, g.add(name, "RealDiv", List.of(times, g.scalar(name + "/six", 6f)), attrs("T", t(in[0]))));
            }
            case PRELU -> {
                // x >= 0 ? x : alpha * x, as select(x < 0, alpha * min(x, 0), x): x where it is not negative, whatever
                // alpha holds (an infinite alpha times 0 would be NaN), as for TF.js's Prelu
                String x = g.tensor(in[0]);
                String zero = g.scalar(name + "/zero", 0f);
                String negative = g.add(g.unique(name + "/Less"), "Less", List.of(x, zero), attrs("T", t(in[0])));
                String min = g.add(g.unique(name + "/Minimum"), "Minimum", List.of(x, zero), attrs("T", t(in[0])));
                String scaled = g.add(g.unique(name + "/Mul"), "Mul", List.of(g.tensor(in[1]), min), attrs("T", t(in[0])));
                g.produce(y, g.add(name, "SelectV2", List.of(negative, scaled, x), attrs("T", t(in[0]))));
            }
            case RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR -> {
                boolean bilinear = code == RESIZE_BILINEAR;
                int alignField = bilinear ? 2 : 0;
                g.produce(y, g.add(name, bilinear ? "ResizeBilinear" : "ResizeNearestNeighbor",
                        List.of(g.tensor(in[0]), g.tensor(in[1])), attrs("T", t(in[0]), "align_corners",
                                bool(o.flag(alignField, false)), "half_pixel_centers", bool(o.flag(alignField + 1, false)))));
            }
            case STRIDED_SLICE -> {
                String end = g.tensor(in[2]);
                if (o.flag(5, false)) {
                    end = g.add(g.unique(name + "/end"), "AddV2", List.of(g.tensor(in[1]), end), attrs("T", t(in[1])));
                }
                g.produce(y, g.add(name, "StridedSlice", List.of(g.tensor(in[0]), g.tensor(in[1]), end, g.tensor(in[3])),
                        attrs("T", t(in[0]), "Index", t(in[1]), "begin_mask", integer(o.integer(0, 0)), "end_mask",
                                integer(o.integer(1, 0)), "ellipsis_mask", integer(o.integer(2, 0)), "new_axis_mask",
                                integer(o.integer(3, 0)), "shrink_axis_mask", integer(o.integer(4, 0)))));
            }
            case SLICE -> g.produce(y, g.add(name, "Slice", List.of(g.tensor(in[0]), g.tensor(in[1]), g.tensor(in[2])),
                    attrs("T", t(in[0]), "Index", t(in[1]))));
            case SPLIT -> produceAll(out, g.add(name, "Split", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[1]), "num_split", integer(out.length))));
            case SPLIT_V -> produceAll(out, g.add(name, "SplitV", List.of(g.tensor(in[0]), g.tensor(in[1]),
                    g.tensor(in[2])), attrs("T", t(in[0]), "Tlen", t(in[1]), "num_split", integer(out.length))));
            case UNPACK -> produceAll(out, g.add(name, "Unpack", List.of(g.tensor(in[0])), attrs("T", t(in[0]), "num",
                    integer(out.length), "axis", integer(o.integer(1, 0)))));
            case PACK -> {
                List<String> inputs = new ArrayList<>();
                for (int i : in) {
                    inputs.add(g.tensor(i));
                }
                g.produce(y, g.add(name, "Pack", inputs, attrs("T", t(in[0]), "N", integer(in.length), "axis",
                        integer(o.integer(1, 0)))));
            }
            case ADD_N -> {
                List<String> inputs = new ArrayList<>();
                for (int i : in) {
                    inputs.add(g.tensor(i));
                }
                g.produce(y, g.add(name, "AddN", inputs, attrs("T", t(in[0]), "N", integer(in.length))));
            }
            case GATHER -> {
                String axis = g.intScalar(name + "/axis", o.integer(0, 0));
                g.produce(y, g.add(name, "GatherV2", List.of(g.tensor(in[0]), g.tensor(in[1]), axis),
                        attrs("Tparams", t(in[0]), "Tindices", t(in[1]), "Taxis", type(DataType.DT_INT32), "batch_dims",
                                integer(o.integer(1, 0)))));
            }
            case GATHER_ND -> g.produce(y, g.add(name, "GatherNd", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("Tparams", t(in[0]), "Tindices", t(in[1]))));
            case TRANSPOSE -> g.produce(y, g.add(name, "Transpose", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tperm", t(in[1]))));
            case SQUEEZE -> {
                AttrValue.ListValue.Builder dims = AttrValue.ListValue.newBuilder();
                Arrays.stream(o.integers(0)).forEach(d -> dims.addI(d));
                g.produce(y, g.add(name, "Squeeze", List.of(g.tensor(in[0])), attrs("T", t(in[0]), "squeeze_dims",
                        AttrValue.newBuilder().setList(dims).build())));
            }
            case EXPAND_DIMS -> g.produce(y, g.add(name, "ExpandDims", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tdim", t(in[1]))));
            case TILE -> g.produce(y, g.add(name, "Tile", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tmultiples", t(in[1]))));
            case BROADCAST_TO -> g.produce(y, g.add(name, "BroadcastTo", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "Tidx", t(in[1]))));
            case FILL -> g.produce(y, g.add(name, "Fill", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[1]), "index_type", t(in[0]))));
            case SHAPE -> g.produce(y, g.add(name, "Shape", List.of(g.tensor(in[0])),
                    attrs("T", t(in[0]), "out_type", t(y))));
            case CAST -> g.produce(y, g.add(name, "Cast", List.of(g.tensor(in[0])),
                    attrs("SrcT", t(in[0]), "DstT", t(y), "Truncate", bool(false))));
            case ARG_MAX, ARG_MIN -> g.produce(y, g.add(name, code == ARG_MAX ? "ArgMax" : "ArgMin",
                    List.of(g.tensor(in[0]), g.tensor(in[1])), attrs("T", t(in[0]), "Tidx", t(in[1]), "output_type", t(y))));
            case BATCH_MATMUL -> g.produce(y, g.add(name, "BatchMatMulV2", List.of(g.tensor(in[0]), g.tensor(in[1])),
                    attrs("T", t(in[0]), "adj_x", bool(o.flag(0, false)), "adj_y", bool(o.flag(1, false)))));
            case SPACE_TO_DEPTH, DEPTH_TO_SPACE -> g.produce(y, g.add(name, code == SPACE_TO_DEPTH ? "SpaceToDepth"
                    : "DepthToSpace", List.of(g.tensor(in[0])), attrs("T", t(in[0]), "block_size",
                            integer(o.integer(0, 0)))));
            case SELECT, SELECT_V2 -> g.produce(y, g.add(name, "SelectV2", List.of(g.tensor(in[0]), g.tensor(in[1]),
                    g.tensor(in[2])), attrs("T", t(in[1]))));
            case DEQUANTIZE -> g.produce(y, dequantize(name, in[0]));
            case QUANTIZE -> {
                if (!g.dequantizes()) {
                    return false;
                }
                // the model runs dequantized: the quantized tensor is represented by its real value
                g.produce(y, g.add(name, "Identity", List.of(g.tensor(in[0])), attrs("T", t(in[0]))));
            }
            default -> {
                String unary = UNARY.get(code);
                String binary = BINARY.get(code);
                if (unary != null) {
                    g.produce(y, g.add(name, unary, List.of(g.tensor(in[0])), attrs("T", t(in[0]))));
                } else if (binary != null) {
                    g.produce(y, g.add(name, binary, List.of(g.tensor(in[0]), g.tensor(in[1])), attrs("T", t(in[0]))));
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * GELU as TFLite computes it: {@code x/2 * (1 + erf(x/sqrt 2))}, or with {@code approximate} the tanh
     * form {@code x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))}; each step an op, so an overflow in
     * the cube is seen where it happens.
     */
    private String gelu(String name, int xIndex, boolean approximate) {
        String x = g.tensor(xIndex);
        AttrValue type = t(xIndex);
        String inner;
        if (approximate) {
            String cube = g.add(g.unique(name + "/Pow"), "Pow", List.of(x, g.scalar(name + "/three", 3f)),
                    attrs("T", type));
            String scaledCube = g.add(g.unique(name + "/mul_cube"), "Mul", List.of(cube, g.scalar(name + "/coefficient",
                    0.044715f)), attrs("T", type));
            String sum = g.add(g.unique(name + "/add_cube"), "AddV2", List.of(x, scaledCube), attrs("T", type));
            String scaled = g.add(g.unique(name + "/mul_sqrt_2_over_pi"), "Mul", List.of(sum, g.scalar(name
                    + "/sqrt_2_over_pi", (float) Math.sqrt(2 / Math.PI))), attrs("T", type));
            inner = g.add(g.unique(name + "/Tanh"), "Tanh", List.of(scaled), attrs("T", type));
        } else {
            String scaled = g.add(g.unique(name + "/mul_rsqrt_2"), "Mul", List.of(x, g.scalar(name + "/rsqrt_2",
                    (float) Math.sqrt(0.5))), attrs("T", type));
            inner = g.add(g.unique(name + "/Erf"), "Erf", List.of(scaled), attrs("T", type));
        }
        String onePlus = g.add(g.unique(name + "/add_one"), "AddV2", List.of(inner, g.scalar(name + "/one", 1f)),
                attrs("T", type));
        String half = g.add(g.unique(name + "/mul_half"), "Mul", List.of(x, g.scalar(name + "/half", 0.5f)),
                attrs("T", type));
        return g.add(name, "Mul", List.of(half, onePlus), attrs("T", type));
    }

    /**
     * L2_NORMALIZATION over the last axis as TFLite's kernel computes it, {@code x / max(sqrt(sum(x^2)), 1e-6)},
     * written out so that a zero-norm or overflowing row is seen at the step that causes it.
     */
    private String l2Normalize(String resultName, int xIndex) {
        String x = g.tensor(xIndex);
        AttrValue type = t(xIndex);
        String square = g.add(g.unique(resultName + "/Square"), "Square", List.of(x), attrs("T", type));
        String sum = g.add(g.unique(resultName + "/Sum"), "Sum", List.of(square, g.intScalar(resultName + "/axis", -1)),
                attrs("T", type, "Tidx", type(DataType.DT_INT32), "keep_dims", bool(true)));
        String norm = g.add(g.unique(resultName + "/Sqrt"), "Sqrt", List.of(sum), attrs("T", type));
        String floor = g.add(g.unique(resultName + "/Maximum"), "Maximum", List.of(norm, g.scalar(resultName
                + "/epsilon", 1e-6f)), attrs("T", type));
        return g.add(resultName, "RealDiv", List.of(x, floor), attrs("T", type));
    }

    /** DEQUANTIZE of a tensor computed at run time (one of a constant is folded into a float constant). */
    private String dequantize(String name, int x) {
        TfliteTensor t = g.tflite(x);
        if (t.type() == TfliteTensor.FLOAT16) {
            return g.add(name, "Cast", List.of(g.tensor(x)), attrs("SrcT", type(DataType.DT_HALF), "DstT",
                    type(DataType.DT_FLOAT), "Truncate", bool(false)));
        }
        if (g.dequantizes() || g.dtype(x) == DataType.DT_FLOAT) {
            // already represented by its real value
            return g.add(name, "Identity", List.of(g.tensor(x)), attrs("T", t(x)));
        }
        TfliteQuantization q = t.quantization();
        String cast = g.add(g.unique(name + "/Cast"), "Cast", List.of(g.tensor(x)), attrs("SrcT", t(x), "DstT",
                type(DataType.DT_FLOAT)));
        String zero = g.scalar(name + "/zero_point", q == null || q.zeroPoint().length == 0 ? 0f : q.zeroPoint()[0]);
        String sub = g.add(g.unique(name + "/Sub"), "Sub", List.of(cast, zero), attrs("T", type(DataType.DT_FLOAT)));
        return g.add(name, "Mul", List.of(sub, g.scalar(name + "/scale", q == null || q.scale().length == 0 ? 1f
                : q.scale()[0])), attrs("T", type(DataType.DT_FLOAT)));
    }

    /**
     * An operator TensorFlow cannot compute: the graph still opens (its outputs are zeros of their
     * declared shape), but running anything that reads them fails with an assertion naming the operator.
     */
    private void notRunnable(int code, String customCode, String name, int[] out, String reason) {
        String what = code == BuiltinOperators.CUSTOM ? "custom op '" + customCode + "'"
                : "TFLite op " + BuiltinOperators.name(code);
        g.markNotRunnable(what + " (" + name + ")");
        // TensorFlow escapes quotes in an assertion's message: name the operator without them there
        String message = g.string(name + "/not_runnable/message", (code == BuiltinOperators.CUSTOM ? "custom op "
                + customCode : what) + " (" + name + ") cannot run here: " + reason);
        String never = g.add(g.unique(name + "/not_runnable/false"), "Const", List.of(), attrs("dtype",
                type(DataType.DT_BOOL), "value", AttrValue.newBuilder().setTensor(org.tensorflow.proto.TensorProto
                        .newBuilder().setDtype(DataType.DT_BOOL).setTensorShape(ConstTensors.shape(new int[0]))
                        .addBoolVal(false)).build()));
        String assertion = g.unique(name + "/not_runnable");
        g.add(assertion, "Assert", List.of(never, message), attrs("T", AttrValue.newBuilder()
                .setList(AttrValue.ListValue.newBuilder().addType(DataType.DT_STRING)).build(), "summarize",
                integer(3)));
        for (int k = 0; k < out.length; k++) {
            int[] shape = g.shape(out[k]).clone();
            for (int d = 0; d < shape.length; d++) {
                shape[d] = Math.max(shape[d], 1);
            }
            DataType type = g.dtype(out[k]);
            String outName = k == 0 ? name : g.nameFor(out[k]);
            String dims = g.ints(outName + "/not_runnable/shape", shape);
            String zero = g.add(g.unique(outName + "/not_runnable/zero"), "Cast", List.of(g.scalar(outName
                    + "/not_runnable/zero_value", 0f)), attrs("SrcT", type(DataType.DT_FLOAT), "DstT", type(type)));
            g.addControlled(outName, "Fill", List.of(dims, zero), assertion, attrs("T", type(type), "index_type",
                    type(DataType.DT_INT32)));
            g.produce(out[k], outName + ":0");
        }
    }

    /** The name of the main op of an operator followed by optional bias and activation steps. */
    private String step(String name, String tfOp, int[] in, int biasInput, int activation) {
        boolean hasBias = in.length > biasInput && in[biasInput] >= 0;
        return hasBias || activation != ACT_NONE ? g.unique(name + "/" + tfOp) : name;
    }

    private String bias(String name, String value, int[] in, int biasInput, int activation) {
        if (in.length <= biasInput || in[biasInput] < 0) {
            return value;
        }
        return g.add(activation == ACT_NONE ? name : g.unique(name + "/BiasAdd"), "BiasAdd",
                List.of(value, g.tensor(in[biasInput])), attrs("T", type(DataType.DT_FLOAT)));
    }

    /** The fused activation as an op of its own named {@code name}, or {@code value} when there is none. */
    private void finish(String name, int y, String value, int activation) {
        String result = switch (activation) {
            case ACT_NONE -> value;
            case ACT_RELU -> g.add(name, "Relu", List.of(value), attrs("T", type(g.dtype(y))));
            case ACT_RELU6 -> g.add(name, "Relu6", List.of(value), attrs("T", type(g.dtype(y))));
            case ACT_TANH -> g.add(name, "Tanh", List.of(value), attrs("T", type(g.dtype(y))));
            case ACT_RELU_N1_TO_1 -> clip(name, value, -1, 1);
            default -> throw new IllegalArgumentException("operator " + name + " has fused activation " + activation
                    + ", which Tensorscope cannot convert");
        };
        g.produce(y, result);
    }

    private String clip(String name, String value, float low, float high) {
        return g.add(name, "ClipByValue", List.of(value, g.scalar(name + "/low", low), g.scalar(name + "/high", high)),
                attrs("T", type(DataType.DT_FLOAT)));
    }

    private String transpose(String name, int tensor, int... perm) {
        return g.add(g.unique(name), "Transpose", List.of(g.tensor(tensor), g.ints(name + "/perm", perm)),
                attrs("T", t(tensor), "Tperm", type(DataType.DT_INT32)));
    }

    private void produceAll(int[] out, String first) {
        String node = first.substring(0, first.lastIndexOf(':'));
        for (int k = 0; k < out.length; k++) {
            g.produce(out[k], node + ":" + k);
        }
    }

    private List<String> tensors(int[] indices, int from) {
        List<String> names = new ArrayList<>();
        for (int i = from; i < indices.length; i++) {
            names.add(g.tensor(indices[i]));
        }
        return names;
    }

    private AttrValue types(int[] indices, int from) {
        AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
        for (int i = from; i < indices.length; i++) {
            list.addType(g.dtype(indices[i]));
        }
        return AttrValue.newBuilder().setList(list).build();
    }

    private static AttrValue function(String name) {
        return AttrValue.newBuilder().setFunc(org.tensorflow.proto.NameAttrList.newBuilder().setName(name)).build();
    }

    private AttrValue t(int tensor) {
        return type(g.dtype(tensor));
    }

    private static AttrValue type(DataType type) {
        return TfliteGraphBuilder.type(type);
    }

    private static AttrValue padding(int padding) {
        return string(padding == 1 ? "VALID" : "SAME");
    }

    private static AttrValue string(String s) {
        return AttrValue.newBuilder().setS(com.google.protobuf.ByteString.copyFromUtf8(s)).build();
    }

    static AttrValue bool(boolean b) {
        return AttrValue.newBuilder().setB(b).build();
    }

    private static AttrValue real(float f) {
        return AttrValue.newBuilder().setF(f).build();
    }

    static AttrValue integer(long i) {
        return AttrValue.newBuilder().setI(i).build();
    }

    private static AttrValue ints(int... values) {
        AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
        for (int v : values) {
            list.addI(v);
        }
        return AttrValue.newBuilder().setList(list).build();
    }

    static Map<String, AttrValue> attrs(Object... keysAndValues) {
        Map<String, AttrValue> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (AttrValue) keysAndValues[i + 1]);
        }
        return map;
    }
}
