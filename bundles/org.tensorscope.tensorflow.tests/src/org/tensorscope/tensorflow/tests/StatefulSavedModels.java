package org.tensorscope.tensorflow.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.AssignAdd;
import org.tensorflow.op.core.AssignAddVariableOp;
import org.tensorflow.op.core.AssignVariableOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReadVariableOp;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * SavedModels with state, written the way TF1 Python writes them: a graph whose saver restores
 * the variables from variables/variables.*, and signatures.
 * <ul>
 * <li>signature "count": {@code y = x + AssignAdd(counter, 1)} with {@code counter} a reference
 * variable (VariableV2) saved as 10: every run gives x + 11;</li>
 * <li>signature "scale": {@code z = x * read(v)} where {@code v} is a resource variable saved as
 * 5 and the read waits for {@code AssignAddVariableOp(v, 2)}: every run gives 7x;</li>
 * <li>signature "gather": {@code g = x * ResourceGather(e, [2])} where {@code e} is a resource
 * variable saved as [1, 2, 3], read by a gather rather than a ReadVariableOp: g = 3x.</li>
 * </ul>
 */
final class StatefulSavedModels {

    private StatefulSavedModels() {
    }

    /**
     * @param restoreSideEffect also make the saver's restore op write a file next to the model
     *                          (a model abusing the restore that runs at load)
     */
    static Path counter(Path dir, boolean restoreSideEffect) throws IOException {
        Files.createDirectories(dir.resolve("variables"));
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
            Variable<TFloat32> counter = tf.withName("counter").variable(Shape.scalar(), TFloat32.class);
            Assign<TFloat32> counterInit = tf.withName("counter_init").assign(counter, tf.constant(10f));
            AssignAdd<TFloat32> increment = tf.withSubScope("incr_counter_op").withName("AssignAdd")
                    .assignAdd(counter, tf.constant(1f));
            tf.withName("y").math.add(x, increment);
            VarHandleOp v = tf.withName("v").varHandleOp(TFloat32.class, Shape.scalar(), VarHandleOp.sharedName("v"));
            AssignVariableOp vInit = tf.withName("v_init").assignVariableOp(v, tf.constant(5f));
            AssignAddVariableOp vAdd = tf.withName("v_add").assignAddVariableOp(v, tf.constant(2f));
            ReadVariableOp<TFloat32> vRead = tf.withControlDependencies(List.of(vAdd)).withName("v_read")
                    .readVariableOp(v, TFloat32.class);
            tf.withName("z").math.mul(x, vRead);
            VarHandleOp e = tf.withName("e").varHandleOp(TFloat32.class, Shape.of(3), VarHandleOp.sharedName("e"));
            AssignVariableOp eInit = tf.withName("e_init").assignVariableOp(e, tf.constant(new float[] { 1f, 2f, 3f }));
            tf.withName("g").math.mul(x,
                    tf.withName("e_gather").resourceGather(e, tf.constant(new int[] { 2 }), TFloat32.class));

            Ops save = tf.withSubScope("save");
            Placeholder<TString> file = save.withName("filename").placeholder(TString.class,
                    Placeholder.shape(Shape.scalar()));
            Operand<TString> names = save.withName("names").constant(StandardCharsets.UTF_8,
                    new String[] { "counter", "v", "e" });
            Operand<TString> slices = save.withName("slices").constant(StandardCharsets.UTF_8, new String[] { "", "", "" });
            Operand<TFloat32> vValue = save.withName("read_v").readVariableOp(v, TFloat32.class);
            Operand<TFloat32> eValue = save.withName("read_e").readVariableOp(e, TFloat32.class);
            GraphOperation saveOp = graph.opBuilder("SaveV2", "save/save", graph.baseScope()).addInput(file.asOutput())
                    .addInput(names.asOutput()).addInput(slices.asOutput())
                    .addInputList(new Output<?>[] { counter.asOutput(), vValue.asOutput(), eValue.asOutput() }).build();
            GraphOperation restore = graph.opBuilder("RestoreV2", "save/restore", graph.baseScope())
                    .addInput(file.asOutput()).addInput(names.asOutput()).addInput(slices.asOutput())
                    .setAttr("dtypes", new DataType[] { DataType.DT_FLOAT, DataType.DT_FLOAT, DataType.DT_FLOAT }).build();
            Assign<TFloat32> restoreCounter = save.withName("assign_counter").assign(counter,
                    restore.<TFloat32>output(0));
            AssignVariableOp restoreV = save.withName("assign_v").assignVariableOp(v, restore.<TFloat32>output(1));
            AssignVariableOp restoreE = save.withName("assign_e").assignVariableOp(e, restore.<TFloat32>output(2));
            List<org.tensorflow.Operation> restoreDeps = List.of(restoreCounter.op(), restoreV.op(), restoreE.op());
            if (restoreSideEffect) {
                GraphOperation leak = graph.opBuilder("WriteFile", "save/leak", graph.baseScope())
                        .addInput(save.constant(dir.resolve("leaked.txt").toString()).asOutput())
                        .addInput(save.constant("written at load").asOutput()).build();
                restoreDeps = List.of(restoreCounter.op(), restoreV.op(), restoreE.op(), leak);
            }
            save.withControlDependencyOps(restoreDeps).withName("restore_all").noOp();

            try (Session session = new Session(graph);
                    TString prefix = TString.scalarOf(dir.resolve("variables").resolve("variables").toString())) {
                session.runner().addTarget(counterInit).addTarget(vInit).addTarget(eInit).run();
                session.runner().feed(file, prefix).addTarget(saveOp).run();
            }
            MetaGraphDef meta = MetaGraphDef.newBuilder()
                    .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
                    .setGraphDef(graph.toGraphDef())
                    .setSaverDef(SaverDef.newBuilder().setFilenameTensorName("save/filename:0")
                            .setRestoreOpName("save/restore_all"))
                    .putSignatureDef("count", signature("y:0")).putSignatureDef("scale", signature("z:0"))
                    .putSignatureDef("gather", signature("g:0")).build();
            Files.write(dir.resolve("saved_model.pb"),
                    SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build().toByteArray());
        }
        return dir;
    }

    private static SignatureDef signature(String output) {
        return SignatureDef.newBuilder()
                .putInputs("x", TensorInfo.newBuilder().setName("x:0").setDtype(DataType.DT_FLOAT).build())
                .putOutputs("y", TensorInfo.newBuilder().setName(output).setDtype(DataType.DT_FLOAT).build())
                .setMethodName("tensorflow/serving/predict").build();
    }
}
