package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * A health pass reads its constants' rows from the values the graph holds, with no run, as TensorFlow reads them: a
 * Const listing fewer values than its shape holds repeats the last one. Its rows equal those of probes on every
 * tensor: c = [1.5, NaN] listed for a shape of [4] holds 1.5 and three NaN; out = x + c.
 */
class ConstantRowsTest {

    @TempDir
    static Path folder;

    private static Path model() throws Exception {
        GraphDef graphDef;
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(4)));
            tf.withName("out").math.add(x, tf.withName("c").constant(new float[] { 0f, 0f, 0f, 0f }));
            graphDef = graph.toGraphDef();
        }
        GraphDef.Builder listed = graphDef.toBuilder();
        for (NodeDef.Builder node : listed.getNodeBuilderList()) {
            if (node.getName().equals("c")) {
                TensorProto value = node.getAttrOrThrow("value").getTensor().toBuilder().clearTensorContent()
                        .addFloatVal(1.5f).addFloatVal(Float.NaN).build();
                node.putAttr("value", AttrValue.newBuilder().setTensor(value).build());
            }
        }
        return Files.write(folder.resolve("listed.pb"), listed.build().toByteArray());
    }

    private static Trace pass(TfSession session, HealthMode mode) throws Exception {
        return session.healthPass(Map.of("x", TensorData.ofFloats("x", Shape.of(4), 1f, 2f, 3f, 4f)), List.of("out:0"),
                mode, Map.of(), new NullProgressMonitor());
    }

    @Test
    void listedValuesAreRepeatedAndRowsEqualProbedOnes() throws Exception {
        try (LoadedModel loaded = new FrozenGraphLoader().load(model(), new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU);
                TfSession probed = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            probed.probeEveryTensorEachRun(true);
            for (HealthMode mode : List.of(HealthMode.FULL, HealthMode.CURT)) {
                int before = session.runs();
                Trace trace = pass(session, mode);
                if (mode == HealthMode.FULL) {
                    assertEquals(2, session.runs() - before, "the pass and the plain run alongside, none for the constant");
                }
                TensorHealth c = trace.row("c:0").orElseThrow();
                assertEquals(List.of(4L, 3L, 0L, 0L), List.of(c.elements(), c.nanCount(), c.negInfCount(), c.posInfCount()),
                        mode + ": " + c);
                TensorHealth expected = pass(probed, mode).row("c:0").orElseThrow();
                assertEquals(List.of(expected.elements(), expected.nanCount()), List.of(c.elements(), c.nanCount()), mode.name());
                if (mode == HealthMode.FULL) {
                    assertEquals(1.5, c.min(), 0, "the finite values' statistics: " + c);
                    assertEquals(1.5, c.max(), 0);
                    assertEquals(expected.min(), c.min(), 0);
                }
                assertEquals(3, trace.row("out:0").orElseThrow().nanCount(), mode.name());
            }
        }
    }
}
