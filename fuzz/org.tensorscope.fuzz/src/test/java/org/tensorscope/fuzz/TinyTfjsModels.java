package org.tensorscope.fuzz;

import java.util.List;

/**
 * Small TF.js graph models written by hand, one per weight encoding the loader reads (float32,
 * int32, uint8/uint16 quantized, float16), with a fused op, a signature in either place and a layers
 * model; their shards are in {@link TfjsModelFuzzTest}'s folder.
 */
final class TinyTfjsModels {

    private TinyTfjsModels() {
    }

    private static final String INPUT = """
            {"name":"x","op":"Placeholder","attr":{"dtype":{"type":"DT_FLOAT"},"shape":{"shape":{"dim":[{"size":"1"},{"size":"2"}]}}}}""";

    private static final String WEIGHT = """
            {"name":"w","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"},"value":{"tensor":{"dtype":"DT_FLOAT","tensorShape":{"dim":[{"size":"2"},{"size":"2"}]}}}}}""";

    private static String model(String nodes, String weights, String rest) {
        return "{\"format\":\"graph-model\",\"generatedBy\":\"2.x\",\"convertedBy\":\"TensorFlow.js Converter\","
                + "\"modelTopology\":{\"node\":[" + nodes + "],\"library\":{},\"versions\":{\"producer\":1}},"
                + "\"weightsManifest\":[" + weights + "]" + rest + "}";
    }

    static List<String> all() {
        String matmul = INPUT + "," + WEIGHT
                + ",{\"name\":\"y\",\"op\":\"MatMul\",\"input\":[\"x\",\"w\"],\"attr\":{\"T\":{\"type\":\"DT_FLOAT\"},"
                + "\"transpose_a\":{\"b\":false},\"transpose_b\":{\"b\":false}}},"
                + "{\"name\":\"out\",\"op\":\"Relu\",\"input\":[\"y\"],\"attr\":{\"T\":{\"type\":\"DT_FLOAT\"}}}";
        String signature = ",\"signature\":{\"inputs\":{\"x:0\":{\"name\":\"x:0\",\"dtype\":\"DT_FLOAT\"}},"
                + "\"outputs\":{\"out:0\":{\"name\":\"out:0\",\"dtype\":\"DT_FLOAT\"}}}";
        String metadata = ",\"userDefinedMetadata\":{\"signature\":{\"outputs\":{\"out\":{\"name\":\"out:0\"}}}}";
        String f32 = "{\"paths\":[\"f32.bin\"],\"weights\":[{\"name\":\"w\",\"shape\":[2,2],\"dtype\":\"float32\"}]}";
        String u8 = "{\"paths\":[\"u8.bin\"],\"weights\":[{\"name\":\"w\",\"shape\":[2,2],\"dtype\":\"float32\","
                + "\"quantization\":{\"dtype\":\"uint8\",\"scale\":0.01,\"min\":-1.0}}]}";
        String u16 = "{\"paths\":[\"u16.bin\"],\"weights\":[{\"name\":\"w\",\"shape\":[2,2],\"dtype\":\"float32\","
                + "\"quantization\":{\"dtype\":\"uint16\",\"scale\":0.001,\"min\":-2.0}}]}";
        String f16 = "{\"paths\":[\"f16.bin\"],\"weights\":[{\"name\":\"w\",\"shape\":[2,2],\"dtype\":\"float32\","
                + "\"quantization\":{\"dtype\":\"float16\"}}]}";
        String reshape = INPUT + ",{\"name\":\"s\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_INT32\"},\"value\":"
                + "{\"tensor\":{\"dtype\":\"DT_INT32\",\"tensorShape\":{\"dim\":[{\"size\":\"2\"}]}}}}},"
                + "{\"name\":\"out\",\"op\":\"Reshape\",\"input\":[\"x\",\"s\"],\"attr\":{\"T\":{\"type\":\"DT_FLOAT\"},"
                + "\"Tshape\":{\"type\":\"DT_INT32\"}}}";
        String i32 = "{\"paths\":[\"i32.bin\"],\"weights\":[{\"name\":\"s\",\"shape\":[2],\"dtype\":\"int32\"}]}";
        String fused = INPUT + "," + WEIGHT + ",{\"name\":\"b\",\"op\":\"Const\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"},"
                + "\"value\":{\"tensor\":{\"dtype\":\"DT_FLOAT\",\"tensorShape\":{\"dim\":[{\"size\":\"2\"}]}}}}},"
                + "{\"name\":\"out\",\"op\":\"_FusedMatMul\",\"input\":[\"x\",\"w\",\"b\"],\"attr\":{\"T\":{\"type\":\"DT_FLOAT\"},"
                + "\"num_args\":{\"i\":\"1\"},\"fused_ops\":{\"list\":{\"s\":[\"Qmlhc0FkZA==\",\"UmVsdQ==\"]}},"
                + "\"epsilon\":{\"f\":0.0001},\"transpose_a\":{\"b\":false},\"transpose_b\":{\"b\":false}}}";
        String wb = "{\"paths\":[\"wb.bin\"],\"weights\":[{\"name\":\"w\",\"shape\":[2,2],\"dtype\":\"float32\"},"
                + "{\"name\":\"b\",\"shape\":[2],\"dtype\":\"float32\"}]}";
        String layers = "{\"format\":\"layers-model\",\"modelTopology\":{\"class_name\":\"Sequential\",\"config\":{}},"
                + "\"weightsManifest\":[]}";
        return List.of(model(matmul, f32, signature), model(matmul, u8, metadata), model(matmul, u16, ""),
                model(matmul, f16, signature), model(reshape, i32, ""), model(fused, wb, signature), layers);
    }
}
