package org.tensorscope.tensorflow.tests.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorscope.tensorflow.tests.tflite.TfliteWriter.FLOAT16;
import static org.tensorscope.tensorflow.tests.tflite.TfliteWriter.FLOAT32;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.tflite.TfliteLoader;
import org.tensorscope.tensorflow.tests.tflite.TfliteWriter.Field;
import org.tensorscope.tensorflow.tests.tflite.TfliteWriter.Level;
import org.tensorscope.tensorflow.tests.tflite.TfliteWriter.Sparsity;

/**
 * Sparse TFLite weights (a tensor's SparsityParameters, read by DENSIFY or by an op directly), as pruned models
 * such as MediaPipe's sparse face detector store them: each model adds a sparse constant to an input of zeros, so
 * the output is the dense matrix TFLite's format converter makes, written out here by hand.
 */
class TfliteSparseWeightsTest {

    private static final int ADD = 0, DEQUANTIZE = 6, DENSIFY = 124, ADD_OPTIONS = 11;

    @TempDir
    Path folder;

    @Test
    void rowsInCsrWithInt32Indices() throws Exception {
        // row 0 holds columns 1 and 3, row 1 nothing, row 2 column 0
        Sparsity csr = new Sparsity(new int[] { 0, 1 }, new int[0],
                List.of(Level.dense(3), Level.csr(1, new int[] { 0, 2, 2, 3 }, 1, 3, 0)));
        assertArrayEquals(new float[] { 0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0 },
                densified(FLOAT32, new int[] { 3, 4 }, csr, true, 1, 2, 3));
    }

    @Test
    void blocksOfTwoColumnsWithUint8Indices() throws Exception {
        // columns cut into blocks of 2: row 0 holds block 1 (columns 2, 3), row 2 block 0 (columns 0, 1)
        Sparsity blocks = new Sparsity(new int[] { 0, 1, 2 }, new int[] { 1 },
                List.of(Level.dense(4), Level.csr(3, new int[] { 0, 1, 1, 2, 2 }, 1, 0), Level.dense(2)));
        assertArrayEquals(new float[] { 0, 0, 5, 6, 0, 0, 0, 0, 7, 8, 0, 0, 0, 0, 0, 0 },
                densified(FLOAT32, new int[] { 4, 4 }, blocks, true, 5, 6, 7, 8));
    }

    @Test
    void float16ColumnsFirstWithUint16IndicesThroughDequantize() throws Exception {
        // traversed column by column: column 0 holds row 1, column 2 row 0
        Sparsity byColumn = new Sparsity(new int[] { 1, 0 }, new int[0],
                List.of(Level.dense(3), Level.csr(2, new int[] { 0, 1, 1, 2 }, 1, 0)));
        assertArrayEquals(new float[] { 0, 0, 1.5f, 0.5f, 0, 0 },
                densified(FLOAT16, new int[] { 2, 3 }, byColumn, true, 0.5f, 1.5f));
    }

    @Test
    void anOpReadingTheSparseConstantItselfSeesItDense() throws Exception {
        Sparsity csr = new Sparsity(new int[] { 0, 1 }, new int[0],
                List.of(Level.dense(2), Level.csr(1, new int[] { 0, 1, 2 }, 1, 0)));
        assertArrayEquals(new float[] { 0, 4, 9, 0 }, densified(FLOAT32, new int[] { 2, 2 }, csr, false, 4, 9));
    }

    @Test
    void aCoordinateOutsideTheShapeIsRefusedByName() throws Exception {
        Sparsity wrong = new Sparsity(new int[] { 0, 1 }, new int[0],
                List.of(Level.dense(2), Level.csr(1, new int[] { 0, 1, 2 }, 1, 7)));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> densified(FLOAT32, new int[] { 2, 4 }, wrong, true, 1, 2));
        assertTrue(e.getMessage().contains("sparse constant w cannot be read: level 1 places a value at 7, outside its"
                + " size 4"), e.getMessage());
    }

    @Test
    void valuesFewerThanThePlacesAreRefused() throws Exception {
        Sparsity csr = new Sparsity(new int[] { 0, 1 }, new int[0],
                List.of(Level.dense(2), Level.csr(1, new int[] { 0, 2, 3 }, 0, 1, 1)));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> densified(FLOAT32, new int[] { 2, 2 }, csr, true, 1, 2));
        assertTrue(e.getMessage().contains("sparse constant w cannot be read: it stores 2 values, fewer than its"
                + " sparsity places"), e.getMessage());
    }

    /** The output of x + w for x = 0, with w the sparse constant, through DENSIFY (and DEQUANTIZE for float16) or not. */
    private float[] densified(int type, int[] shape, Sparsity sparsity, boolean throughDensify, float... stored)
            throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("x", FLOAT32, shape);
        int sparse = w.sparseConstant("w", type, shape, sparsity, stored);
        int weights = sparse;
        if (throughDensify) {
            weights = w.tensor("w_dense", type, shape);
            w.op(DENSIFY, new int[] { sparse }, new int[] { weights }, 0);
            if (type == FLOAT16) {
                int real = w.tensor("w_real", FLOAT32, shape);
                w.op(DEQUANTIZE, new int[] { weights }, new int[] { real }, 0);
                weights = real;
            }
        }
        int y = w.tensor("y", FLOAT32, shape);
        w.op(ADD, new int[] { x, weights }, new int[] { y }, ADD_OPTIONS, Field.i8(0, 0));
        w.io(new int[] { x }, new int[] { y });
        Path file = Files.write(folder.resolve("sparse.tflite"), w.bytes());
        try (LoadedModel model = new TfliteLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            assertTrue(model.graph().ops().stream().map(OpNode::type).noneMatch(t -> t.equals("Assert")),
                    "an op left unconverted: " + model.graph().ops().stream().map(OpNode::type).toList());
            Signature signature = model.graph().defaultSignature().orElseThrow();
            String input = signature.inputs().get(0).tensor().name();
            String output = signature.outputs().get(0).tensor().name();
            long[] dims = java.util.Arrays.stream(shape).asLongStream().toArray();
            TensorData zeros = TensorData.ofFloats(input, Shape.of(dims), new float[(int) Shape.of(dims).numElements()]);
            TensorData result = session.fetch(Map.of(input, zeros), List.of(output), Map.of(), new NullProgressMonitor())
                    .get(output);
            assertEquals(Shape.of(dims), result.shape());
            return TfliteOperatorsTest.values(result);
        }
    }
}
