package org.tensorscope.tensorflow.internal.keras;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.tensorflow.Output;
import org.tensorflow.proto.DataType;
import org.tensorscope.tensorflow.internal.keras.KerasGraphBuilder.Dialect;
import org.tensorscope.tensorflow.internal.keras.KerasGraphBuilder.UnsupportedLayerException;
import org.tensorscope.tensorflow.internal.keras.LayerWeights.Weight;

/**
 * The ops of one call of one Keras layer, named {@code <layer>/<Op>} as Keras on TensorFlow names them.
 * Layers are channels-last, as Keras writes them by default.
 */
final class LayerOps {

    private final NamedGraph g;
    private final Dialect dialect;
    private final LayerWeights weights;
    private final List<String> layerPath;
    private final String base;
    private final String className;
    private final LayerConfig c;
    private final String weightScope;

    LayerOps(NamedGraph g, Dialect dialect, LayerWeights weights, List<String> layerPath, String base,
            String className, LayerConfig config) {
        this(g, dialect, weights, layerPath, base, className, config, null);
    }

    private LayerOps(NamedGraph g, Dialect dialect, LayerWeights weights, List<String> layerPath, String base,
            String className, LayerConfig config, String weightScope) {
        this.g = g;
        this.dialect = dialect;
        this.weights = weights;
        this.layerPath = layerPath;
        this.base = base;
        this.className = className;
        this.c = config;
        this.weightScope = weightScope;
    }

    private String layerName() {
        return layerPath.get(layerPath.size() - 1);
    }

    List<Output<?>> build(List<Output<?>> in) {
        if (!c.string("data_format", "channels_last").equals("channels_last")) {
            throw new IllegalStateException("data_format " + c.string("data_format", "") + " is not supported, only channels_last");
        }
        Output<?> x = in.isEmpty() ? null : in.get(0);
        return switch (className) {
            case "Conv1D", "Convolution1D" -> one(activation(conv1d(x)));
            case "Conv2D", "Convolution2D" -> one(activation(conv2d(x)));
            case "DepthwiseConv2D" -> one(activation(depthwise(x)));
            case "SeparableConv2D", "SeparableConvolution2D" -> one(activation(separable(x)));
            case "Conv2DTranspose", "Convolution2DTranspose" -> one(activation(transpose(x)));
            case "Dense" -> one(activation(dense(x)));
            case "BatchNormalization" -> one(batchNorm(x));
            case "LayerNormalization" -> one(layerNorm(x));
            case "Activation" -> one(apply(c.activation("activation", "linear"), x));
            case "ReLU" -> one(relu(x));
            case "LeakyReLU" -> one(g.op("LeakyRelu", base + "/LeakyRelu").in(x)
                    .attr("alpha", (float) c.number(c.has("negative_slope") ? "negative_slope" : "alpha", 0.3)).out());
            case "PReLU" -> one(prelu(x));
            case "ELU" -> one(elu(x, c.number("alpha", 1.0)));
            case "ThresholdedReLU" -> one(thresholded(x));
            case "Softmax" -> one(softmax(x));
            case "MaxPooling2D", "MaxPool2D" -> one(pool2d("MaxPool", x));
            case "AveragePooling2D", "AvgPool2D" -> one(pool2d("AvgPool", x));
            case "MaxPooling1D", "MaxPool1D" -> one(pool1d("MaxPool", x));
            case "AveragePooling1D", "AvgPool1D" -> one(pool1d("AvgPool", x));
            case "GlobalMaxPooling2D", "GlobalMaxPool2D" -> one(global("Max", x, 1, 2));
            case "GlobalAveragePooling2D", "GlobalAvgPool2D" -> one(global("Mean", x, 1, 2));
            case "GlobalMaxPooling1D", "GlobalMaxPool1D" -> one(global("Max", x, 1));
            case "GlobalAveragePooling1D", "GlobalAvgPool1D" -> one(global("Mean", x, 1));
            case "ZeroPadding2D" -> one(zeroPad(x, 2));
            case "ZeroPadding1D" -> one(zeroPad(x, 1));
            case "Cropping2D" -> one(crop(x, 2));
            case "Cropping1D" -> one(crop(x, 1));
            case "UpSampling2D" -> one(upsample2d(x));
            case "UpSampling1D" -> one(upsample1d(x));
            case "Concatenate" -> one(g.op("ConcatV2", base + "/concat").inList(in.toArray(new Output<?>[0]))
                    .in(g.intScalar(base + "/concat/axis", c.integer("axis", -1))).out());
            case "Add" -> one(chain("AddV2", "add", in));
            case "Subtract" -> one(g.op("Sub", base + "/sub").in(in.get(0)).in(in.get(1)).out());
            case "Multiply" -> one(chain("Mul", "mul", in));
            case "Maximum" -> one(chain("Maximum", "Maximum", in));
            case "Minimum" -> one(chain("Minimum", "Minimum", in));
            case "Average" -> one(g.op("RealDiv", base + "/truediv").in(chain("AddV2", "add", in))
                    .in(g.scalar(base + "/truediv/y", in.size())).out());
            case "Flatten" -> one(reshape(x, flatSize(x)));
            case "Reshape" -> one(reshapeTo(x));
            case "Permute" -> one(permute(x));
            case "RepeatVector" -> one(repeat(x));
            case "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
                    "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Masking" ->
                one(g.op("Identity", base + "/Identity").in(x).out());
            case "Rescaling" -> one(rescale(x));
            case "Normalization" -> one(normalize(x));
            case "Embedding" -> one(embedding(x));
            case "SimpleRNN", "GRU", "LSTM", "CuDNNGRU", "CuDNNLSTM" -> new RecurrentOps(this).build(in);
            case "TimeDistributed" -> one(timeDistributed(x));
            case "Bidirectional" -> bidirectional(in);
            case "Lambda" -> throw new UnsupportedLayerException("a Lambda layer `" + layerName()
                    + "`: custom Python code cannot run here");
            default -> throw new UnsupportedLayerException("a custom layer `" + layerName() + "` (class " + className
                    + "): its code is not in the file and cannot run here");
        };
    }

    private static List<Output<?>> one(Output<?> x) {
        return List.of(x);
    }

    // ---------------------------------------------------------------- weights

    /** The layer's weights by variable name, or by position when the container stores no names (Keras 3). */
    Output<?>[] take(String... names) {
        List<Weight> stored = new ArrayList<>(weights.of(layerPath));
        if (weightScope != null) {
            stored.removeIf(w -> !w.name().contains(weightScope));
        }
        List<String> wanted = Arrays.asList(names);
        boolean byName = stored.stream().anyMatch(w -> wanted.contains(w.variable()));
        Output<?>[] taken = new Output<?>[names.length];
        String scope = String.join("/", layerPath) + (weightScope == null ? "" : "/" + weightScope);
        for (int i = 0; i < names.length; i++) {
            Weight weight = null;
            if (byName) {
                for (Weight w : stored) {
                    if (w.variable().equals(names[i])) {
                        weight = w;
                        break;
                    }
                }
            } else if (i < stored.size()) {
                weight = stored.get(i);
            }
            if (weight == null) {
                throw new IllegalStateException("no weight " + names[i] + " is stored for it (stored: "
                        + stored.stream().map(Weight::name).toList() + ")");
            }
            TensorProtoValue value = new TensorProtoValue(weight);
            String name = base + (weightScope == null ? "" : "/" + weightScope) + "/" + names[i];
            taken[i] = g.once(scope + "/" + names[i], () -> g.constant(name, value.proto()));
        }
        return taken;
    }

    private record TensorProtoValue(Weight weight) {
        org.tensorflow.proto.TensorProto proto() {
            return weight.value();
        }
    }

    // ---------------------------------------------------------------- activations

    Output<?> activation(Output<?> x) {
        return apply(c.activation("activation", "linear"), x);
    }

    /** An activation function by its Keras (or TF.js) name, as ops under this layer. */
    Output<?> apply(String name, Output<?> x) {
        return apply(name, x, base);
    }

    Output<?> apply(String name, Output<?> x, String scope) {
        String n = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return switch (n) {
            case "linear", "none" -> x;
            case "relu" -> g.op("Relu", scope + "/Relu").in(x).out();
            case "relu6" -> g.op("Relu6", scope + "/Relu6").in(x).out();
            case "sigmoid" -> g.op("Sigmoid", scope + "/Sigmoid").in(x).out();
            case "tanh" -> g.op("Tanh", scope + "/Tanh").in(x).out();
            case "softmax" -> g.op("Softmax", scope + "/Softmax").in(x).out();
            case "elu" -> g.op("Elu", scope + "/Elu").in(x).out();
            case "selu" -> g.op("Selu", scope + "/Selu").in(x).out();
            case "softplus" -> g.op("Softplus", scope + "/Softplus").in(x).out();
            case "softsign" -> g.op("Softsign", scope + "/Softsign").in(x).out();
            case "exponential" -> g.op("Exp", scope + "/Exp").in(x).out();
            case "swish", "silu" -> g.op("Mul", scope + "/swish").in(x)
                    .in(g.op("Sigmoid", scope + "/swish/Sigmoid").in(x).out()).out();
            case "hard_sigmoid" -> hardSigmoid(x, scope);
            case "hard_swish", "hard_silu" -> g.op("Mul", scope + "/hard_swish").in(x).in(hardSigmoid(x, scope)).out();
            case "gelu" -> gelu(x, scope);
            case "mish" -> g.op("Mul", scope + "/mish").in(x).in(g.op("Tanh", scope + "/mish/Tanh")
                    .in(g.op("Softplus", scope + "/mish/Softplus").in(x).out()).out()).out();
            default -> throw new UnsupportedLayerException("layer `" + layerName() + "` (class " + className
                    + ") uses the activation " + name + ", which Tensorscope does not know");
        };
    }

    /** Keras 2 and TF.js: clip(0.2x + 0.5, 0, 1); Keras 3: relu6(x + 3) / 6. */
    private Output<?> hardSigmoid(Output<?> x, String scope) {
        float slope = dialect == Dialect.KERAS3 ? 1f / 6f : 0.2f;
        Output<?> y = g.op("AddV2", scope + "/hard_sigmoid/add").in(g.op("Mul", scope + "/hard_sigmoid/mul").in(x)
                .in(g.scalar(scope + "/hard_sigmoid/slope", slope)).out())
                .in(g.scalar(scope + "/hard_sigmoid/offset", 0.5f)).out();
        return g.op("ClipByValue", scope + "/hard_sigmoid").in(y).in(g.scalar(scope + "/hard_sigmoid/zero", 0f))
                .in(g.scalar(scope + "/hard_sigmoid/one", 1f)).out();
    }

    /** 0.5 x (1 + erf(x / sqrt 2)), the exact form Keras uses by default. */
    private Output<?> gelu(Output<?> x, String scope) {
        Output<?> scaled = g.op("Mul", scope + "/gelu/mul").in(x).in(g.scalar(scope + "/gelu/rsqrt2", (float) (1 / Math.sqrt(2))))
                .out();
        Output<?> erf = g.op("Erf", scope + "/gelu/Erf").in(scaled).out();
        Output<?> onePlus = g.op("AddV2", scope + "/gelu/add").in(erf).in(g.scalar(scope + "/gelu/one", 1f)).out();
        Output<?> half = g.op("Mul", scope + "/gelu/mul_1").in(x).in(g.scalar(scope + "/gelu/half", 0.5f)).out();
        return g.op("Mul", scope + "/gelu").in(half).in(onePlus).out();
    }

    private Output<?> relu(Output<?> x) {
        double max = c.has("max_value") ? c.number("max_value", 0) : Double.NaN;
        double slope = c.number("negative_slope", 0);
        double threshold = c.number("threshold", 0);
        Output<?> y;
        if (threshold != 0) {
            Output<?> t = g.scalar(base + "/threshold", (float) threshold);
            Output<?> below = g.op("Mul", base + "/mul").in(g.op("Sub", base + "/sub").in(x).in(t).out())
                    .in(g.scalar(base + "/negative_slope", (float) slope)).out();
            y = g.op("SelectV2", base + "/Select").in(g.op("GreaterEqual", base + "/GreaterEqual").in(x).in(t).out())
                    .in(x).in(below).out();
        } else if (slope != 0) {
            y = g.op("LeakyRelu", base + "/LeakyRelu").in(x).attr("alpha", (float) slope).out();
        } else if (max == 6) {
            return g.op("Relu6", base + "/Relu6").in(x).out();
        } else {
            y = g.op("Relu", base + "/Relu").in(x).out();
        }
        if (!Double.isNaN(max)) {
            y = g.op("Minimum", base + "/Minimum").in(y).in(g.scalar(base + "/max_value", (float) max)).out();
        }
        return y;
    }

    /** relu(x) - alpha * relu(-x). */
    private Output<?> prelu(Output<?> x) {
        Output<?> alpha = take("alpha")[0];
        Output<?> pos = g.op("Relu", base + "/Relu").in(x).out();
        Output<?> negRelu = g.op("Relu", base + "/Relu_1").in(g.op("Neg", base + "/Neg").in(x).out()).out();
        return g.op("Sub", base + "/sub").in(pos).in(g.op("Mul", base + "/mul").in(alpha).in(negRelu).out()).out();
    }

    private Output<?> elu(Output<?> x, double alpha) {
        Output<?> elu = g.op("Elu", base + "/Elu").in(x).out();
        if (alpha == 1) {
            return elu;
        }
        Output<?> scaled = g.op("Mul", base + "/mul").in(elu).in(g.scalar(base + "/alpha", (float) alpha)).out();
        Output<?> positive = g.op("Greater", base + "/Greater").in(x).in(g.scalar(base + "/zero", 0f)).out();
        return g.op("SelectV2", base + "/Select").in(positive).in(x).in(scaled).out();
    }

    private Output<?> thresholded(Output<?> x) {
        Output<?> above = g.op("Greater", base + "/Greater").in(x)
                .in(g.scalar(base + "/theta", (float) c.number("theta", 1.0))).out();
        return g.op("Mul", base + "/mul").in(x).in(g.op("Cast", base + "/Cast").in(above).attr("DstT", DataType.DT_FLOAT).out())
                .out();
    }

    private Output<?> softmax(Output<?> x) {
        long[] axes = c.list("axis");
        long[] dims = NamedGraph.dims(x);
        if (axes != null && (axes.length != 1 || (axes[0] != -1 && (dims == null || axes[0] != dims.length - 1)))) {
            throw new IllegalStateException("softmax over axis " + Arrays.toString(axes) + " is not supported, only the last");
        }
        return g.op("Softmax", base + "/Softmax").in(x).out();
    }

    // ---------------------------------------------------------------- convolutions and dense

    private String padding() {
        String p = c.string("padding", "valid").toUpperCase(Locale.ROOT);
        if (!p.equals("VALID") && !p.equals("SAME")) {
            throw new IllegalStateException("padding " + c.string("padding", "") + " is not supported here");
        }
        return p;
    }

    private Output<?> bias(Output<?> y) {
        if (!c.bool("use_bias", true)) {
            return y;
        }
        int index = className.startsWith("Separable") ? 2 : 1;
        Output<?> b = className.startsWith("Separable") ? take("depthwise_kernel", "pointwise_kernel", "bias")[index]
                : className.startsWith("Depthwise") ? take("depthwise_kernel", "bias")[1] : take("kernel", "bias")[1];
        return g.op("BiasAdd", base + "/BiasAdd").in(y).in(b).out();
    }

    private Output<?> conv2d(Output<?> x) {
        if (c.integer("groups", 1) != 1) {
            throw new IllegalStateException("grouped convolutions (groups " + c.integer("groups", 1) + ") are not supported");
        }
        long[] s = c.ints("strides", 2, 1);
        long[] d = c.ints("dilation_rate", 2, 1);
        Output<?> y = g.op("Conv2D", base + "/Conv2D").in(x).in(take("kernel")[0]).attr("strides", new long[] { 1, s[0], s[1], 1 })
                .attr("padding", padding()).attr("dilations", new long[] { 1, d[0], d[1], 1 }).out();
        return bias(y);
    }

    private Output<?> conv1d(Output<?> x) {
        long s = c.ints("strides", 1, 1)[0];
        long d = c.ints("dilation_rate", 1, 1)[0];
        String padding = c.string("padding", "valid");
        Output<?> kernel = take("kernel")[0];
        if (padding.equals("causal")) {
            long k = NamedGraph.dims(kernel)[0];
            x = g.op("Pad", base + "/Pad").in(x).in(g.constant(base + "/Pad/paddings", intMatrix(new long[][] {
                    { 0, 0 }, { (k - 1) * d, 0 }, { 0, 0 } }))).out();
            padding = "VALID";
        } else {
            padding = padding();
        }
        Output<?> x4 = g.op("ExpandDims", base + "/Conv1D/ExpandDims").in(x).in(g.intScalar(base + "/Conv1D/ExpandDims/dim", 1))
                .out();
        Output<?> k4 = g.op("ExpandDims", base + "/Conv1D/ExpandDims_1").in(kernel)
                .in(g.intScalar(base + "/Conv1D/ExpandDims_1/dim", 0)).out();
        Output<?> y = g.op("Conv2D", base + "/Conv1D/Conv2D").in(x4).in(k4).attr("strides", new long[] { 1, 1, s, 1 })
                .attr("padding", padding).attr("dilations", new long[] { 1, 1, d, 1 }).out();
        Output<?> squeezed = g.op("Squeeze", base + "/Conv1D").in(y).attr("squeeze_dims", new long[] { 1 }).out();
        return bias(squeezed);
    }

    private Output<?> depthwise(Output<?> x) {
        long[] s = c.ints("strides", 2, 1);
        long[] d = c.ints("dilation_rate", 2, 1);
        Output<?> y = g.op("DepthwiseConv2dNative", base + "/depthwise").in(x).in(take("depthwise_kernel")[0])
                .attr("strides", new long[] { 1, s[0], s[1], 1 }).attr("padding", padding())
                .attr("dilations", new long[] { 1, d[0], d[1], 1 }).out();
        return bias(y);
    }

    private Output<?> separable(Output<?> x) {
        long[] s = c.ints("strides", 2, 1);
        long[] d = c.ints("dilation_rate", 2, 1);
        Output<?>[] k = take("depthwise_kernel", "pointwise_kernel");
        Output<?> dw = g.op("DepthwiseConv2dNative", base + "/separable_conv2d/depthwise").in(x).in(k[0])
                .attr("strides", new long[] { 1, s[0], s[1], 1 }).attr("padding", padding())
                .attr("dilations", new long[] { 1, d[0], d[1], 1 }).out();
        Output<?> pw = g.op("Conv2D", base + "/separable_conv2d").in(dw).in(k[1]).attr("strides", new long[] { 1, 1, 1, 1 })
                .attr("padding", "VALID").out();
        return bias(pw);
    }

    private Output<?> transpose(Output<?> x) {
        Output<?> kernel = take("kernel")[0];
        long[] kd = NamedGraph.dims(kernel);
        long[] xd = NamedGraph.dims(x);
        long[] s = c.ints("strides", 2, 1);
        long[] d = c.ints("dilation_rate", 2, 1);
        long[] outPad = c.has("output_padding") ? c.ints("output_padding", 2, 0) : null;
        String padding = padding();
        long h = deconvLength(xd[1], kd[0], padding, outPad == null ? -1 : outPad[0], s[0], d[0]);
        long w = deconvLength(xd[2], kd[1], padding, outPad == null ? -1 : outPad[1], s[1], d[1]);
        Output<?> batch = batch(x, base + "/conv2d_transpose");
        Output<?> sizes = g.op("Pack", base + "/conv2d_transpose/output_shape").inList(batch,
                g.intScalar(base + "/conv2d_transpose/h", h), g.intScalar(base + "/conv2d_transpose/w", w),
                g.intScalar(base + "/conv2d_transpose/c", kd[2])).attr("axis", 0L).out();
        Output<?> y = g.op("Conv2DBackpropInput", base + "/conv2d_transpose").in(sizes).in(kernel).in(x)
                .attr("strides", new long[] { 1, s[0], s[1], 1 }).attr("padding", padding)
                .attr("dilations", new long[] { 1, d[0], d[1], 1 }).out();
        return bias(y);
    }

    private static long deconvLength(long in, long k, String padding, long outputPadding, long stride, long dilation) {
        long size = k + (k - 1) * (dilation - 1);
        if (outputPadding < 0) {
            return padding.equals("VALID") ? in * stride + Math.max(size - stride, 0) : in * stride;
        }
        long pad = padding.equals("SAME") ? size / 2 : 0;
        return (in - 1) * stride + size - 2 * pad + outputPadding;
    }

    /** The batch size as an int32 scalar, read at run time. */
    Output<?> batch(Output<?> x, String scope) {
        Output<?> shape = g.op("Shape", scope + "/Shape").in(x).attr("out_type", DataType.DT_INT32).out();
        return g.op("StridedSlice", scope + "/strided_slice").in(shape).in(g.ints(scope + "/strided_slice/begin", 0))
                .in(g.ints(scope + "/strided_slice/end", 1)).in(g.ints(scope + "/strided_slice/strides", 1))
                .attr("shrink_axis_mask", 1L).out();
    }

    private Output<?> dense(Output<?> x) {
        Output<?> kernel = take("kernel")[0];
        long[] xd = NamedGraph.dims(x);
        Output<?> y;
        if (xd != null && xd.length == 2) {
            y = g.op("MatMul", base + "/MatMul").in(x).in(kernel).out();
        } else {
            long[] kd = NamedGraph.dims(kernel);
            requireStatic(xd, 1);
            Output<?> flat = g.op("Reshape", base + "/Tensordot/Reshape").in(x)
                    .in(g.ints(base + "/Tensordot/Reshape/shape", -1, kd[0])).out();
            Output<?> product = g.op("MatMul", base + "/Tensordot/MatMul").in(flat).in(kernel).out();
            long[] out = xd.clone();
            out[0] = -1;
            out[out.length - 1] = kd[1];
            y = g.op("Reshape", base + "/Tensordot").in(product).in(g.ints(base + "/Tensordot/shape", out)).out();
        }
        return bias(y);
    }

    // ---------------------------------------------------------------- normalisation

    private int axis(Output<?> x, long axis) {
        long[] xd = NamedGraph.dims(x);
        if (xd == null) {
            throw new IllegalStateException("its input has an unknown rank");
        }
        return (int) (axis < 0 ? axis + xd.length : axis);
    }

    private Output<?> batchNorm(Output<?> x) {
        long[] axes = c.list("axis");
        int axis = axis(x, axes == null ? -1 : axes[0]);
        long[] xd = NamedGraph.dims(x);
        boolean scale = c.bool("scale", true);
        boolean center = c.bool("center", true);
        List<String> names = new ArrayList<>();
        if (scale) {
            names.add("gamma");
        }
        if (center) {
            names.add("beta");
        }
        names.add("moving_mean");
        names.add("moving_variance");
        Output<?>[] w = take(names.toArray(new String[0]));
        Output<?> mean = w[names.size() - 2];
        Output<?> variance = w[names.size() - 1];
        float epsilon = (float) c.number("epsilon", 1e-3);
        long channels = NamedGraph.dims(mean)[0];
        Output<?> gamma = scale ? w[0] : g.floats(base + "/gamma", new long[] { channels }, filled(channels, 1f));
        Output<?> beta = center ? w[scale ? 1 : 0] : g.floats(base + "/beta", new long[] { channels }, filled(channels, 0f));
        if (xd.length == 4 && axis == 3) {
            return g.op("FusedBatchNormV3", base + "/FusedBatchNormV3").in(x).in(gamma).in(beta).in(mean).in(variance)
                    .attr("epsilon", epsilon).attr("is_training", false).attr("data_format", "NHWC").out();
        }
        long[] broadcast = new long[xd.length];
        Arrays.fill(broadcast, 1);
        broadcast[axis] = channels;
        boolean last = axis == xd.length - 1;
        String s = base + "/batchnorm";
        Output<?> inv = g.op("Rsqrt", s + "/Rsqrt").in(g.op("AddV2", s + "/add").in(variance).in(g.scalar(s + "/epsilon", epsilon))
                .out()).out();
        Output<?> factor = g.op("Mul", s + "/mul").in(inv).in(gamma).out();
        Output<?> shift = g.op("Sub", s + "/sub").in(beta).in(g.op("Mul", s + "/mul_2").in(mean).in(factor).out()).out();
        if (!last) {
            factor = g.op("Reshape", s + "/Reshape").in(factor).in(g.ints(s + "/Reshape/shape", broadcast)).out();
            shift = g.op("Reshape", s + "/Reshape_1").in(shift).in(g.ints(s + "/Reshape_1/shape", broadcast)).out();
        }
        return g.op("AddV2", s + "/add_1").in(g.op("Mul", s + "/mul_1").in(x).in(factor).out()).in(shift).out();
    }

    private static float[] filled(long n, float v) {
        float[] values = new float[(int) n];
        Arrays.fill(values, v);
        return values;
    }

    private Output<?> layerNorm(Output<?> x) {
        long[] axes = c.list("axis");
        long[] xd = NamedGraph.dims(x);
        long[] normalized = axes == null ? new long[] { xd.length - 1 } : axes.clone();
        for (int i = 0; i < normalized.length; i++) {
            normalized[i] = axis(x, normalized[i]);
        }
        boolean scale = c.bool("scale", true);
        boolean center = c.bool("center", true);
        List<String> names = new ArrayList<>();
        if (scale) {
            names.add("gamma");
        }
        if (center) {
            names.add("beta");
        }
        Output<?>[] w = names.isEmpty() ? new Output<?>[0] : take(names.toArray(new String[0]));
        String s = base + "/layernorm";
        Output<?> ax = g.ints(s + "/axes", normalized);
        Output<?> mean = g.op("Mean", s + "/moments/mean").in(x).in(ax).attr("keep_dims", true).out();
        Output<?> variance = g.op("Mean", s + "/moments/variance").in(g.op("SquaredDifference", s + "/moments/SquaredDifference")
                .in(x).in(mean).out()).in(ax).attr("keep_dims", true).out();
        Output<?> inv = g.op("Rsqrt", s + "/Rsqrt").in(g.op("AddV2", s + "/add").in(variance)
                .in(g.scalar(s + "/epsilon", (float) c.number("epsilon", 1e-3))).out()).out();
        Output<?> y = g.op("Mul", s + "/mul").in(g.op("Sub", s + "/sub").in(x).in(mean).out()).in(inv).out();
        long[] broadcast = new long[xd.length];
        Arrays.fill(broadcast, 1);
        for (long a : normalized) {
            broadcast[(int) a] = xd[(int) a];
        }
        boolean lastOnly = normalized.length == 1 && normalized[0] == xd.length - 1;
        if (scale) {
            Output<?> gamma = lastOnly ? w[0] : g.op("Reshape", s + "/gamma/Reshape").in(w[0])
                    .in(g.ints(s + "/gamma/shape", broadcast)).out();
            y = g.op("Mul", s + "/mul_1").in(y).in(gamma).out();
        }
        if (center) {
            Output<?> beta = lastOnly ? w[scale ? 1 : 0] : g.op("Reshape", s + "/beta/Reshape").in(w[scale ? 1 : 0])
                    .in(g.ints(s + "/beta/shape", broadcast)).out();
            y = g.op("AddV2", s + "/add_1").in(y).in(beta).out();
        }
        return y;
    }

    private Output<?> rescale(Output<?> x) {
        Output<?> y = g.op("Mul", base + "/mul").in(x).in(g.scalar(base + "/scale", (float) c.numberOrFirst("scale", 1))).out();
        return g.op("AddV2", base + "/add").in(y).in(g.scalar(base + "/offset", (float) c.numberOrFirst("offset", 0))).out();
    }

    /** (x - mean) / max(sqrt(variance), 1e-7), with the adapted mean and variance. */
    private Output<?> normalize(Output<?> x) {
        if (c.bool("invert", false)) {
            throw new IllegalStateException("an inverting Normalization is not supported");
        }
        Output<?> mean;
        Output<?> variance;
        if (c.has("mean") && c.has("variance") && c.json().get("mean").isJsonArray()) {
            mean = g.floats(base + "/mean", new long[] { c.json().getAsJsonArray("mean").size() }, floats(c.json().getAsJsonArray("mean")));
            variance = g.floats(base + "/variance", new long[] { c.json().getAsJsonArray("variance").size() },
                    floats(c.json().getAsJsonArray("variance")));
        } else {
            Output<?>[] w = take("mean", "variance");
            mean = w[0];
            variance = w[1];
        }
        Output<?> std = g.op("Maximum", base + "/Maximum").in(g.op("Sqrt", base + "/Sqrt").in(variance).out())
                .in(g.scalar(base + "/epsilon", 1e-7f)).out();
        return g.op("RealDiv", base + "/truediv").in(g.op("Sub", base + "/sub").in(x).in(mean).out()).in(std).out();
    }

    private static float[] floats(com.google.gson.JsonArray a) {
        float[] values = new float[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.get(i).getAsFloat();
        }
        return values;
    }

    // ---------------------------------------------------------------- pooling, padding, shapes

    private Output<?> pool2d(String op, Output<?> x) {
        long[] p = c.ints("pool_size", 2, 2);
        long[] s = c.has("strides") ? c.ints("strides", 2, 1) : p;
        return g.op(op, base + "/" + op).in(x).attr("ksize", new long[] { 1, p[0], p[1], 1 })
                .attr("strides", new long[] { 1, s[0], s[1], 1 }).attr("padding", padding()).out();
    }

    private Output<?> pool1d(String op, Output<?> x) {
        long p = c.ints(c.has("pool_size") ? "pool_size" : "pool_length", 1, 2)[0];
        long s = c.has("strides") ? c.ints("strides", 1, 1)[0] : p;
        Output<?> x4 = g.op("ExpandDims", base + "/ExpandDims").in(x).in(g.intScalar(base + "/ExpandDims/dim", 2)).out();
        Output<?> y = g.op(op, base + "/" + op).in(x4).attr("ksize", new long[] { 1, p, 1, 1 })
                .attr("strides", new long[] { 1, s, 1, 1 }).attr("padding", padding()).out();
        return g.op("Squeeze", base + "/Squeeze").in(y).attr("squeeze_dims", new long[] { 2 }).out();
    }

    private Output<?> global(String op, Output<?> x, long... axes) {
        return g.op(op, base + "/" + op).in(x).in(g.ints(base + "/" + op + "/reduction_indices", axes))
                .attr("keep_dims", c.bool("keepdims", false)).out();
    }

    /** {@code n} pairs (before, after) from an int, a pair of ints (1-D) or pairs per dimension. */
    private long[][] pairs(String key, int n) {
        long[][] pairs = new long[n][2];
        com.google.gson.JsonElement e = c.json().get(key);
        if (e == null || e.isJsonNull()) {
            e = new com.google.gson.JsonPrimitive(1);
        }
        if (e.isJsonPrimitive()) {
            for (long[] p : pairs) {
                Arrays.fill(p, e.getAsLong());
            }
            return pairs;
        }
        com.google.gson.JsonArray a = e.getAsJsonArray();
        if (n == 1) {
            pairs[0][0] = a.get(0).getAsLong();
            pairs[0][1] = a.size() > 1 ? a.get(1).getAsLong() : a.get(0).getAsLong();
            return pairs;
        }
        for (int i = 0; i < n; i++) {
            com.google.gson.JsonElement p = a.get(i);
            if (p.isJsonArray()) {
                pairs[i][0] = p.getAsJsonArray().get(0).getAsLong();
                pairs[i][1] = p.getAsJsonArray().get(1).getAsLong();
            } else {
                pairs[i][0] = p.getAsLong();
                pairs[i][1] = p.getAsLong();
            }
        }
        return pairs;
    }

    private static org.tensorflow.proto.TensorProto intMatrix(long[][] rows) {
        org.tensorflow.proto.TensorProto.Builder proto = org.tensorflow.proto.TensorProto.newBuilder()
                .setDtype(DataType.DT_INT32).setTensorShape(ProtoShapes.of(new long[] { rows.length, rows[0].length }));
        for (long[] row : rows) {
            for (long v : row) {
                proto.addIntVal((int) v);
            }
        }
        return proto.build();
    }

    private Output<?> zeroPad(Output<?> x, int n) {
        long[][] p = pairs("padding", n);
        long[][] all = new long[n + 2][2];
        for (int i = 0; i < n; i++) {
            all[i + 1] = p[i];
        }
        return g.op("Pad", base + "/Pad").in(x).in(g.constant(base + "/Pad/paddings", intMatrix(all))).out();
    }

    private Output<?> crop(Output<?> x, int n) {
        long[][] p = pairs("cropping", n);
        long[] xd = NamedGraph.dims(x);
        requireStatic(xd, 1);
        long[] begin = new long[n + 2];
        long[] size = new long[n + 2];
        size[0] = -1;
        size[n + 1] = -1;
        for (int i = 0; i < n; i++) {
            begin[i + 1] = p[i][0];
            size[i + 1] = xd[i + 1] - p[i][0] - p[i][1];
        }
        return g.op("Slice", base + "/Slice").in(x).in(g.ints(base + "/Slice/begin", begin)).in(g.ints(base + "/Slice/size", size))
                .out();
    }

    private Output<?> upsample2d(Output<?> x) {
        long[] size = c.ints("size", 2, 2);
        long[] xd = NamedGraph.dims(x);
        requireStatic(xd, 1);
        Output<?> newSize = g.ints(base + "/size", xd[1] * size[0], xd[2] * size[1]);
        String interpolation = c.string("interpolation", "nearest");
        if (interpolation.equals("nearest")) {
            return g.op("ResizeNearestNeighbor", base + "/resize/ResizeNearestNeighbor").in(x).in(newSize)
                    .attr("half_pixel_centers", dialect != Dialect.TFJS).out();
        }
        if (interpolation.equals("bilinear")) {
            return g.op("ResizeBilinear", base + "/resize/ResizeBilinear").in(x).in(newSize)
                    .attr("half_pixel_centers", dialect != Dialect.TFJS).out();
        }
        throw new IllegalStateException("interpolation " + interpolation + " is not supported");
    }

    private Output<?> upsample1d(Output<?> x) {
        long n = c.integer("size", 2);
        long[] xd = NamedGraph.dims(x);
        requireStatic(xd, 1);
        Output<?> x4 = g.op("ExpandDims", base + "/ExpandDims").in(x).in(g.intScalar(base + "/ExpandDims/dim", 2)).out();
        Output<?> tiled = g.op("Tile", base + "/Tile").in(x4).in(g.ints(base + "/Tile/multiples", 1, 1, n, 1)).out();
        return g.op("Reshape", base + "/Reshape").in(tiled).in(g.ints(base + "/Reshape/shape", -1, xd[1] * n, xd[2])).out();
    }

    private Output<?> chain(String op, String name, List<Output<?>> in) {
        Output<?> y = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            y = g.op(op, base + "/" + name).in(y).in(in.get(i)).out();
        }
        return y;
    }

    private static void requireStatic(long[] dims, int from) {
        if (dims == null) {
            throw new IllegalStateException("its input has an unknown rank");
        }
        for (int i = from; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalStateException("its input shape " + Arrays.toString(dims).replace("-1", "?")
                        + " has unknown dimensions beyond the batch");
            }
        }
    }

    private long flatSize(Output<?> x) {
        long[] xd = NamedGraph.dims(x);
        requireStatic(xd, 1);
        long n = 1;
        for (int i = 1; i < xd.length; i++) {
            n = Math.multiplyExact(n, xd[i]);
        }
        return n;
    }

    private Output<?> reshape(Output<?> x, long... dims) {
        long[] shape = new long[dims.length + 1];
        shape[0] = -1;
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return g.op("Reshape", base + "/Reshape").in(x).in(g.ints(base + "/Reshape/shape", shape)).out();
    }

    private Output<?> reshapeTo(Output<?> x) {
        long[] target = c.list("target_shape");
        if (target == null) {
            throw new IllegalStateException("its config has no target_shape");
        }
        return reshape(x, target);
    }

    private Output<?> permute(Output<?> x) {
        long[] dims = c.list("dims");
        long[] perm = new long[dims.length + 1];
        for (int i = 0; i < dims.length; i++) {
            perm[i + 1] = dims[i];
        }
        return g.op("Transpose", base + "/transpose").in(x).in(g.ints(base + "/transpose/perm", perm)).out();
    }

    private Output<?> repeat(Output<?> x) {
        long n = c.integer("n", 1);
        Output<?> x3 = g.op("ExpandDims", base + "/ExpandDims").in(x).in(g.intScalar(base + "/ExpandDims/dim", 1)).out();
        return g.op("Tile", base + "/Tile").in(x3).in(g.ints(base + "/Tile/multiples", 1, n, 1)).out();
    }

    private Output<?> embedding(Output<?> x) {
        Output<?> ids = x;
        if (x.dataType() != DataType.DT_INT32 && x.dataType() != DataType.DT_INT64) {
            ids = g.op("Cast", base + "/Cast").in(x).attr("DstT", DataType.DT_INT32).out();
        }
        return g.op("GatherV2", base + "/embedding_lookup").in(take("embeddings")[0]).in(ids)
                .in(g.intScalar(base + "/embedding_lookup/axis", 0)).out();
    }

    // ---------------------------------------------------------------- wrappers

    private LayerOps inner(LayerConfig innerConfig, String innerClass, String scope, String innerBase) {
        return new LayerOps(g, dialect, weights, layerPath, innerBase, innerClass, innerConfig, scope);
    }

    private Output<?> timeDistributed(Output<?> x) {
        com.google.gson.JsonObject layer = c.object("layer");
        long[] xd = NamedGraph.dims(x);
        requireStatic(xd, 1);
        long[] flat = new long[xd.length - 1];
        flat[0] = -1;
        System.arraycopy(xd, 2, flat, 1, xd.length - 2);
        Output<?> merged = g.op("Reshape", base + "/Reshape").in(x).in(g.ints(base + "/Reshape/shape", flat)).out();
        Output<?> y = inner(new LayerConfig(layer.getAsJsonObject("config")), layer.get("class_name").getAsString(), null, base)
                .build(List.of(merged)).get(0);
        long[] yd = NamedGraph.dims(y);
        long[] split = new long[yd.length + 1];
        split[0] = -1;
        split[1] = xd[1];
        System.arraycopy(yd, 1, split, 2, yd.length - 1);
        return g.op("Reshape", base + "/Reshape_1").in(y).in(g.ints(base + "/Reshape_1/shape", split)).out();
    }

    private List<Output<?>> bidirectional(List<Output<?>> in) {
        com.google.gson.JsonObject layer = c.object("layer");
        com.google.gson.JsonObject forwardConfig = layer.getAsJsonObject("config").deepCopy();
        com.google.gson.JsonObject backwardConfig;
        String backwardClass = layer.get("class_name").getAsString();
        if (c.has("backward_layer")) {
            backwardConfig = c.object("backward_layer").getAsJsonObject("config").deepCopy();
            backwardClass = c.object("backward_layer").get("class_name").getAsString();
        } else {
            backwardConfig = forwardConfig.deepCopy();
            backwardConfig.addProperty("go_backwards", !new LayerConfig(forwardConfig).bool("go_backwards", false));
        }
        List<Output<?>> forwardIn = List.of(in.get(0));
        List<Output<?>> backwardIn = List.of(in.get(0));
        List<Output<?>> fw = inner(new LayerConfig(forwardConfig), layer.get("class_name").getAsString(), "forward",
                base + "/forward").build(forwardIn);
        List<Output<?>> bw = inner(new LayerConfig(backwardConfig), backwardClass, "backward", base + "/backward")
                .build(backwardIn);
        Output<?> y = fw.get(0);
        Output<?> yb = bw.get(0);
        if (new LayerConfig(forwardConfig).bool("return_sequences", false)) {
            yb = g.op("ReverseV2", base + "/ReverseV2").in(yb).in(g.ints(base + "/ReverseV2/axis", 1)).out();
        }
        String mode = c.string("merge_mode", "concat");
        Output<?> merged = switch (mode) {
            case "concat" -> g.op("ConcatV2", base + "/concat").inList(y, yb).in(g.intScalar(base + "/concat/axis", -1)).out();
            case "sum" -> g.op("AddV2", base + "/add").in(y).in(yb).out();
            case "mul" -> g.op("Mul", base + "/mul").in(y).in(yb).out();
            case "ave" -> g.op("Mul", base + "/mul").in(g.op("AddV2", base + "/add").in(y).in(yb).out())
                    .in(g.scalar(base + "/half", 0.5f)).out();
            default -> throw new IllegalStateException("merge_mode " + mode + " is not supported");
        };
        List<Output<?>> outs = new ArrayList<>();
        outs.add(merged);
        outs.addAll(fw.subList(1, fw.size()));
        outs.addAll(bw.subList(1, bw.size()));
        return outs;
    }

    // ---------------------------------------------------------------- for RecurrentOps

    NamedGraph graph() {
        return g;
    }

    LayerConfig config() {
        return c;
    }

    String base() {
        return base;
    }

    String className() {
        return className;
    }

    Dialect dialect() {
        return dialect;
    }

    static DataType dataType(String name) {
        return switch (name) {
            case "float32", "float" -> DataType.DT_FLOAT;
            case "int32", "int" -> DataType.DT_INT32;
            case "int64" -> DataType.DT_INT64;
            case "bool" -> DataType.DT_BOOL;
            case "float64" -> DataType.DT_DOUBLE;
            default -> throw new IllegalStateException("input dtype " + name + " is not supported");
        };
    }
}
