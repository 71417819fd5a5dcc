package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.session.RunConfiguration;
import org.tensorscope.ui.internal.session.UiContributions;
import org.tensorscope.ui.internal.views.ShownInViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * The Keras and TFLite formats in the workbench as a user meets them: File > Open offers their
 * files, the model opens, runs on an overflowing input, lands on the origin named by its layer or
 * TFLite tensor, and F6 steps on to the next op with its values shown.
 */
class ModelFormatsTest {

    @ParameterizedTest
    @CsvSource({
        "tflite/pose_landmark_lite.tflite, *.tflite, model_1/model/re_lu/Relu6/Conv2D",
        "tflite/face_detection_short_range.tflite, *.tflite, ",
        "keras/mobilenet_v2.h5, *.h5, bn_Conv1",
        "keras/mobilenet_v2.keras, *.keras, bn_Conv1",
        "tfjs-layers/mobilenet_v2/model.json, *.json, bn_Conv1" })
    void opensRunsTracesAndSteps(String file, String pattern, String originPrefix) throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        assertTrue(TestServices.get(UiContributions.class).contributions().filePatterns().contains(pattern), "File > Open offers " + pattern);

        Path model = Path.of(System.getProperty("tensorscope.testdata"), file);
        DebugSession session = TestServices.get(DebugSession.class);
        session.open(model, null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(model), 120_000), file + " did not open");
        TraceOutcome before = session.outcome().orElse(null);
        session.configure(new RunConfiguration(null, List.of("ramp*1e38"), "", session.configuration().device(),
                session.configuration().mode()));
        session.run();
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                180_000), file + " did not run");
        TraceOutcome outcome = session.outcome().get();
        assertTrue(outcome.trace().rows().size() > 10, file + " traced " + outcome.trace().rows().size() + " tensors");
        if (originPrefix != null) {
            String origin = outcome.origin().orElseThrow(() -> new AssertionError(file + " has no origin"))
                    .row().opName();
            assertTrue(origin.startsWith(originPrefix), file + ": origin " + origin);
            assertEquals(origin, TestServices.get(SteppingFocus.class).cursor().orElseThrow().current().orElseThrow().opName(),
                    "the cursor lands on the origin");
        }

        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        handlers.executeCommand("org.tensorscope.ui.commands.stepNext", null);
        String tensor = TestServices.get(SteppingFocus.class).cursor().orElseThrow().current().orElseThrow().tensor();
        assertTrue(UiWait.until(display, () -> ShownInViews.values(inspector) != null
                && ShownInViews.values(inspector).name().equals(tensor), 60_000), () -> file + ": F6 shows " + tensor
                        + "; the Inspector says: " + ShownInViews.headerText(inspector));
        session.configure(new RunConfiguration(null, List.of(), "", session.configuration().device(),
                session.configuration().mode()));
    }
}
