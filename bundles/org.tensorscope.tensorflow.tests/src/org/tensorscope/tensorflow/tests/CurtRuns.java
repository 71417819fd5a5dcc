package org.tensorscope.tensorflow.tests;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.tensorflow.op.Ops;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/** A CURT trace of a planted model on one float input "x", with the tensors its passes probed. */
record CurtRuns(Trace trace, NanReport report, List<String> probed) {

    static CurtRuns trace(Path folder, String name, Consumer<Ops> body, long[] shape, float... values) throws Exception {
        return trace(folder, PlantedModels.write(folder, name, body), shape, values);
    }

    /** The same for a graph already written. */
    static CurtRuns trace(Path folder, Path file, long[] shape, float... values) throws Exception {
        Path x = folder.resolve(file.getFileName() + "-" + System.nanoTime() + ".npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(shape), values), x);
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            TraceOutcome outcome = Tracing.trace(loaded, session, List.of("x=" + x), HealthMode.CURT);
            return new CurtRuns(outcome.trace(), outcome.report(), session.lastPassProbed());
        }
    }
}
