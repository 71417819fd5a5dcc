package org.tensorscope.tensorflow.tests.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.flatbuffers.FlatBufferBuilder;

/**
 * Writes small TFLite flatbuffers for tests with FlatBuffers' own builder, field numbers as in
 * TFLite's schema.fbs (version 3): a main subgraph, tensors with optional constant values and
 * quantization, operators with builtin options, custom operators, SignatureDefs, further subgraphs.
 */
final class TfliteWriter {

    static final int FLOAT32 = 0, FLOAT16 = 1, INT32 = 2, UINT8 = 3, INT8 = 9;

    /** A field of an options table: its number and how to write it. */
    record Field(int slot, Object value) {
        static Field i32(int slot, int value) {
            return new Field(slot, value);
        }

        static Field i8(int slot, int value) {
            return new Field(slot, (byte) value);
        }

        static Field f32(int slot, float value) {
            return new Field(slot, value);
        }

        static Field flag(int slot, boolean value) {
            return new Field(slot, value);
        }

        static Field ints(int slot, int... values) {
            return new Field(slot, values);
        }
    }

    private record Tensor(String name, int type, int[] shape, byte[] data, float[] scale, long[] zeroPoint,
            Sparsity sparsity) {
        Tensor(String name, int type, int[] shape, byte[] data, float[] scale, long[] zeroPoint) {
            this(name, type, shape, data, scale, zeroPoint, null);
        }
    }

    /**
     * A level of a sparse tensor's traversal (table DimensionMetadata): dense over {@code denseSize}, or CSR with its
     * segments and indices written as Int32Vector (kind 1), Uint16Vector (2) or Uint8Vector (3).
     */
    record Level(boolean sparse, int denseSize, int[] segments, int[] indices, int kind) {
        static Level dense(int size) {
            return new Level(false, size, null, null, 0);
        }

        static Level csr(int kind, int[] segments, int... indices) {
            return new Level(true, 0, segments, indices, kind);
        }
    }

    /** Table SparsityParameters. */
    record Sparsity(int[] traversalOrder, int[] blockMap, List<Level> levels) {
    }

    private record Operator(int code, String custom, int[] inputs, int[] outputs, int optionsType, List<Field> options,
            byte[] customOptions) {
    }

    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Operator> operators = new ArrayList<>();
    private final Map<String, int[][]> signatures = new LinkedHashMap<>();
    private final Map<String, String[][]> signatureKeys = new LinkedHashMap<>();
    private int[] inputs = new int[0];
    private int[] outputs = new int[0];
    private final List<TfliteWriter> subgraphs = new ArrayList<>();
    private String name = "main";

    /** A further subgraph (for WHILE and IF), number 1, 2, ... in the order they are asked for. */
    TfliteWriter subgraph(String subgraphName) {
        TfliteWriter sub = new TfliteWriter();
        sub.name = subgraphName;
        subgraphs.add(sub);
        return sub;
    }

    /** A tensor computed at run time; returns its index. */
    int tensor(String name, int type, int... shape) {
        tensors.add(new Tensor(name, type, shape, null, null, null));
        return tensors.size() - 1;
    }

    int quantized(String name, int type, float scale, long zeroPoint, int... shape) {
        tensors.add(new Tensor(name, type, shape, null, new float[] { scale }, new long[] { zeroPoint }));
        return tensors.size() - 1;
    }

    int constant(String name, int[] shape, float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        tensors.add(new Tensor(name, FLOAT32, shape, bytes.array(), null, null));
        return tensors.size() - 1;
    }

    int constantInts(String name, int[] shape, int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bytes.putInt(v);
        }
        tensors.add(new Tensor(name, INT32, shape, bytes.array(), null, null));
        return tensors.size() - 1;
    }

    int constantHalf(String name, int[] shape, float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putShort(Float.floatToFloat16(v));
        }
        tensors.add(new Tensor(name, FLOAT16, shape, bytes.array(), null, null));
        return tensors.size() - 1;
    }

    /** A sparse constant: its stored values (float32, or float16 when {@code type} says so) placed by the sparsity. */
    int sparseConstant(String name, int type, int[] shape, Sparsity sparsity, float... stored) {
        ByteBuffer bytes = ByteBuffer.allocate((type == FLOAT16 ? 2 : 4) * stored.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : stored) {
            if (type == FLOAT16) {
                bytes.putShort(Float.floatToFloat16(v));
            } else {
                bytes.putFloat(v);
            }
        }
        tensors.add(new Tensor(name, type, shape, bytes.array(), null, null, sparsity));
        return tensors.size() - 1;
    }

    /** An int8 constant with one scale per entry of dimension 0 (per channel) or one for all. */
    int constantInt8(String name, int[] shape, float[] scale, long[] zeroPoint, byte... values) {
        tensors.add(new Tensor(name, INT8, shape, values, scale, zeroPoint));
        return tensors.size() - 1;
    }

    void op(int code, int[] inputs, int[] outputs, int optionsType, Field... options) {
        operators.add(new Operator(code, null, inputs, outputs, optionsType, List.of(options), null));
    }

    void custom(String name, int[] inputs, int[] outputs) {
        custom(name, inputs, outputs, null);
    }

    /** A custom operator with its custom_options bytes (what the op's own code reads, e.g. a C struct). */
    void custom(String name, int[] inputs, int[] outputs, byte[] customOptions) {
        operators.add(new Operator(32, name, inputs, outputs, 0, List.of(), customOptions));
    }

    void io(int[] inputs, int[] outputs) {
        this.inputs = inputs;
        this.outputs = outputs;
    }

    void signature(String key, String[] inputNames, int[] inputTensors, String[] outputNames, int[] outputTensors) {
        signatures.put(key, new int[][] { inputTensors, outputTensors });
        signatureKeys.put(key, new String[][] { inputNames, outputNames });
    }

    byte[] bytes() {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        b.forceDefaults(true);
        // buffers: 0 is the empty sentinel, then one per constant
        List<Integer> buffers = new ArrayList<>();
        buffers.add(table(b, () -> {
        }));
        List<Integer> codes = new ArrayList<>();
        List<String> codeKeys = new ArrayList<>();
        int[] subgraphTables = new int[1 + subgraphs.size()];
        subgraphTables[0] = subgraph(b, buffers, codes, codeKeys);
        for (int k = 0; k < subgraphs.size(); k++) {
            subgraphTables[k + 1] = subgraphs.get(k).subgraph(b, buffers, codes, codeKeys);
        }
        int[] signatureTables = new int[signatures.size()];
        int s = 0;
        for (String key : signatures.keySet()) {
            int[][] indices = signatures.get(key);
            String[][] names = signatureKeys.get(key);
            int sigIn = tensorMaps(b, names[0], indices[0]);
            int sigOut = tensorMaps(b, names[1], indices[1]);
            int keyOffset = b.createString(key);
            signatureTables[s++] = table(b, () -> {
                b.addOffset(0, sigIn, 0);
                b.addOffset(1, sigOut, 0);
                b.addOffset(2, keyOffset, 0);
                b.addInt(4, 0, -1);
            });
        }
        int codeVector = offsets(b, codes.stream().mapToInt(Integer::intValue).toArray());
        int subgraphVector = offsets(b, subgraphTables);
        int bufferVector = offsets(b, buffers.stream().mapToInt(Integer::intValue).toArray());
        int signatureVector = offsets(b, signatureTables);
        int description = b.createString("written by a Tensorscope test");
        int model = table(b, () -> {
            b.addInt(0, 3, -1);
            b.addOffset(1, codeVector, 0);
            b.addOffset(2, subgraphVector, 0);
            b.addOffset(3, description, 0);
            b.addOffset(4, bufferVector, 0);
            b.addOffset(7, signatureVector, 0);
        });
        b.finish(model, "TFL3");
        return b.sizedByteArray();
    }

    /** Writes this writer's tensors, their constants' buffers and its operators as one subgraph table. */
    private int subgraph(FlatBufferBuilder b, List<Integer> buffers, List<Integer> codes, List<String> codeKeys) {
        int[] bufferOf = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.data() != null) {
                b.startVector(1, t.data().length, 16);
                for (int k = t.data().length - 1; k >= 0; k--) {
                    b.addByte(t.data()[k]);
                }
                int data = b.endVector();
                buffers.add(table(b, () -> b.addOffset(0, data, 0)));
                bufferOf[i] = buffers.size() - 1;
            }
        }
        int[] tensorTables = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            int name = b.createString(t.name());
            int shape = ints(b, t.shape());
            int quantization = 0;
            if (t.scale() != null) {
                int scale = floats(b, t.scale());
                int zero = longs(b, t.zeroPoint());
                quantization = table(b, () -> {
                    b.addOffset(2, scale, 0);
                    b.addOffset(3, zero, 0);
                    b.addInt(6, 0, -1);
                });
            }
            int q = quantization;
            int sparsity = t.sparsity() == null ? 0 : sparsity(b, t.sparsity());
            int buffer = bufferOf[i];
            tensorTables[i] = table(b, () -> {
                b.addOffset(0, shape, 0);
                b.addByte(1, (byte) t.type(), -1);
                b.addInt(2, buffer, -1);
                b.addOffset(3, name, 0);
                if (q != 0) {
                    b.addOffset(4, q, 0);
                }
                if (sparsity != 0) {
                    b.addOffset(6, sparsity, 0);
                }
            });
        }
        int[] operatorTables = new int[operators.size()];
        for (int i = 0; i < operators.size(); i++) {
            Operator op = operators.get(i);
            String key = op.code() + "/" + op.custom();
            int index = codeKeys.indexOf(key);
            if (index < 0) {
                int custom = op.custom() == null ? 0 : b.createString(op.custom());
                codes.add(table(b, () -> {
                    b.addByte(0, (byte) Math.min(op.code(), 127), -1);
                    if (custom != 0) {
                        b.addOffset(1, custom, 0);
                    }
                    b.addInt(2, 1, -1);
                    b.addInt(3, op.code(), -1);
                }));
                codeKeys.add(key);
                index = codes.size() - 1;
            }
            int options = op.optionsType() == 0 ? 0 : options(b, op.options());
            int in = ints(b, op.inputs());
            int out = ints(b, op.outputs());
            int customOptions = op.customOptions() == null ? 0 : b.createByteVector(op.customOptions());
            int codeIndex = index;
            operatorTables[i] = table(b, () -> {
                b.addInt(0, codeIndex, -1);
                b.addOffset(1, in, 0);
                b.addOffset(2, out, 0);
                if (op.optionsType() != 0) {
                    b.addByte(3, (byte) op.optionsType(), -1);
                    b.addOffset(4, options, 0);
                }
                if (customOptions != 0) {
                    b.addOffset(5, customOptions, 0);
                }
            });
        }
        int tensorVector = offsets(b, tensorTables);
        int operatorVector = offsets(b, operatorTables);
        int in = ints(b, inputs);
        int out = ints(b, outputs);
        int subgraphName = b.createString(name);
        return table(b, () -> {
            b.addOffset(0, tensorVector, 0);
            b.addOffset(1, in, 0);
            b.addOffset(2, out, 0);
            b.addOffset(3, operatorVector, 0);
            b.addOffset(4, subgraphName, 0);
        });
    }

    private static int options(FlatBufferBuilder b, List<Field> fields) {
        Map<Integer, Integer> vectors = new LinkedHashMap<>();
        for (Field f : fields) {
            if (f.value() instanceof int[] values) {
                vectors.put(f.slot(), ints(b, values));
            }
        }
        return table(b, () -> {
            for (Field f : fields) {
                switch (f.value()) {
                    case Integer i -> b.addInt(f.slot(), i, Integer.MIN_VALUE);
                    case Byte v -> b.addByte(f.slot(), v, -1);
                    case Float v -> b.addFloat(f.slot(), v, Float.NaN);
                    case Boolean v -> b.addBoolean(f.slot(), v, !v);
                    case int[] v -> b.addOffset(f.slot(), vectors.get(f.slot()), 0);
                    default -> throw new IllegalArgumentException(f.toString());
                }
            }
        });
    }

    private static int tensorMaps(FlatBufferBuilder b, String[] names, int[] indices) {
        int[] maps = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            int name = b.createString(names[i]);
            int index = indices[i];
            maps[i] = table(b, () -> {
                b.addOffset(0, name, 0);
                b.addInt(1, index, -1);
            });
        }
        return offsets(b, maps);
    }

    private static int table(FlatBufferBuilder b, Runnable fields) {
        b.startTable(16);
        fields.run();
        return b.endTable();
    }

    private static int sparsity(FlatBufferBuilder b, Sparsity sparsity) {
        int[] levels = new int[sparsity.levels().size()];
        for (int l = 0; l < levels.length; l++) {
            Level level = sparsity.levels().get(l);
            int segments = level.sparse() ? indexVector(b, level.kind(), level.segments()) : 0;
            int indices = level.sparse() ? indexVector(b, level.kind(), level.indices()) : 0;
            levels[l] = table(b, () -> {
                b.addByte(0, (byte) (level.sparse() ? 1 : 0), -1);
                b.addInt(1, level.denseSize(), -1);
                if (level.sparse()) {
                    b.addByte(2, (byte) level.kind(), -1);
                    b.addOffset(3, segments, 0);
                    b.addByte(4, (byte) level.kind(), -1);
                    b.addOffset(5, indices, 0);
                }
            });
        }
        int order = ints(b, sparsity.traversalOrder());
        int blocks = ints(b, sparsity.blockMap());
        int metadata = offsets(b, levels);
        return table(b, () -> {
            b.addOffset(0, order, 0);
            b.addOffset(1, blocks, 0);
            b.addOffset(2, metadata, 0);
        });
    }

    /** Table Int32Vector, Uint16Vector or Uint8Vector: one field, the values. */
    private static int indexVector(FlatBufferBuilder b, int kind, int[] values) {
        int size = kind == 1 ? 4 : kind == 2 ? 2 : 1;
        b.startVector(size, values.length, 4);
        for (int k = values.length - 1; k >= 0; k--) {
            switch (kind) {
                case 1 -> b.addInt(values[k]);
                case 2 -> b.addShort((short) values[k]);
                default -> b.addByte((byte) values[k]);
            }
        }
        int vector = b.endVector();
        return table(b, () -> b.addOffset(0, vector, 0));
    }

    private static int ints(FlatBufferBuilder b, int[] values) {
        b.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) {
            b.addInt(values[i]);
        }
        return b.endVector();
    }

    private static int floats(FlatBufferBuilder b, float[] values) {
        b.startVector(4, values.length, 4);
        for (int i = values.length - 1; i >= 0; i--) {
            b.addFloat(values[i]);
        }
        return b.endVector();
    }

    private static int longs(FlatBufferBuilder b, long[] values) {
        b.startVector(8, values.length, 8);
        for (int i = values.length - 1; i >= 0; i--) {
            b.addLong(values[i]);
        }
        return b.endVector();
    }

    private static int offsets(FlatBufferBuilder b, int[] tables) {
        b.startVector(4, tables.length, 4);
        for (int i = tables.length - 1; i >= 0; i--) {
            b.addOffset(tables[i]);
        }
        return b.endVector();
    }
}
