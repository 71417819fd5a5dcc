package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.ui.internal.session.DebugSession;

/**
 * A model that writes a file when it runs, at the top level or inside a function it calls:
 * Run > Run asks first, naming the op; Cancel runs nothing and writes nothing, OK runs it and the
 * file appears. The dialog is answered as a user would, by pressing its button.
 */
class SideEffectConsentTest {

    @TempDir
    Path folder;

    private static String bytes(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String stringConst(String name, String value) {
        return "node { name: \"" + name + "\" op: \"Const\" attr { key: \"dtype\" value { type: DT_STRING } }"
                + " attr { key: \"value\" value { tensor { dtype: DT_STRING tensor_shape { } string_val: " + bytes(value)
                + " } } } }\n";
    }

    /** y = Identity(x) after the writing op: running y writes "pwned" to the target. */
    static String graph(boolean inFunction, Path target) {
        String common = "node { name: \"x\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } }"
                + " attr { key: \"shape\" value { shape { dim { size: 1 } } } } }\n"
                + stringConst("path", target.toString()) + stringConst("contents", "pwned");
        String y = "node { name: \"y\" op: \"Identity\" input: \"x\" input: \"^%s\" attr { key: \"T\" value { type: DT_FLOAT } } }\n";
        if (!inFunction) {
            return common + "node { name: \"write\" op: \"WriteFile\" input: \"path\" input: \"contents\" }\n"
                    + y.formatted("write");
        }
        return common + """
                node { name: "call" op: "StatefulPartitionedCall" input: "path" input: "contents"
                  attr { key: "Tin" value { list { type: DT_STRING type: DT_STRING } } }
                  attr { key: "Tout" value { list { } } }
                  attr { key: "f" value { func { name: "leak" } } }
                  attr { key: "config" value { s: "" } }
                  attr { key: "config_proto" value { s: "" } }
                  attr { key: "executor_type" value { s: "" } } }
                """ + y.formatted("call") + """
                library { function {
                  signature { name: "leak" is_stateful: true control_output: "write"
                    input_arg { name: "filename" type: DT_STRING }
                    input_arg { name: "contents" type: DT_STRING } }
                  node_def { name: "write" op: "WriteFile" input: "filename" input: "contents" }
                  control_ret { key: "write" value: "write" } } }
                """;
    }

    /** Presses a button of the dialog titled {@code title} once it opens, and records its message. */
    private static AtomicReference<String> answer(Display display, String title, String button) {
        AtomicReference<String> message = new AtomicReference<>();
        long end = System.currentTimeMillis() + 30_000;
        Runnable poll = new Runnable() {
            @Override
            public void run() {
                Shell dialog = Arrays.stream(display.getShells())
                        .filter(s -> !s.isDisposed() && s.isVisible() && title.equals(s.getText())).findFirst().orElse(null);
                if (dialog == null) {
                    if (System.currentTimeMillis() < end) {
                        display.timerExec(100, this);
                    }
                    return;
                }
                StringBuilder text = new StringBuilder();
                Button[] pressed = { null };
                walk(dialog, control -> {
                    if (control instanceof Label label) {
                        text.append(label.getText()).append('\n');
                    } else if (control instanceof Button b && b.getText().replace("&", "").equals(button)) {
                        pressed[0] = b;
                    }
                });
                message.set(text.toString());
                if (pressed[0] != null) {
                    pressed[0].notifyListeners(SWT.Selection, new Event());
                } else {
                    dialog.close();
                }
            }
        };
        display.timerExec(100, poll);
        return message;
    }

    private static void walk(Control control, java.util.function.Consumer<Control> visit) {
        visit.accept(control);
        if (control instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                walk(child, visit);
            }
        }
    }

    @ParameterizedTest(name = "WriteFile in a function: {0}")
    @ValueSource(booleans = { false, true })
    void runningAModelThatWritesAFileAsksFirstAndCancelWritesNothing(boolean inFunction) throws Exception {
        Display display = Display.getCurrent();
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        DebugSession session = TestServices.get(DebugSession.class);
        Path target = folder.resolve("written-by-the-model.txt");
        Path model = Files.writeString(folder.resolve(inFunction ? "function-writes.pbtxt" : "top-level-writes.pbtxt"),
                graph(inFunction, target));
        session.closeModel();
        session.open(model, null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(model), 60_000), "the model did not open");
        assertFalse(Files.exists(target), "opening writes nothing");

        String title = "Run " + model.getFileName();
        AtomicReference<String> asked = answer(display, title, "Cancel");
        handlers.executeCommand("org.tensorscope.ui.commands.run", null);
        assertNotNull(asked.get(), "Run did not ask before running a model that writes a file");
        String op = inFunction ? "call/write" : "write";
        assertTrue(asked.get().contains(model.getFileName() + " holds 1 op that reaches outside the model")
                && asked.get().contains(op + " (WriteFile: writes a file)"), asked.get());
        assertTrue(UiWait.until(display, () -> Job.getJobManager().find(DebugSession.JOB_FAMILY).length == 0, 30_000));
        assertTrue(session.outcome().isEmpty(), "Cancel runs nothing");
        assertFalse(Files.exists(target), "Cancel writes nothing");

        TraceOutcome before = session.outcome().orElse(null);
        AtomicReference<String> askedAgain = answer(display, title, "OK");
        handlers.executeCommand("org.tensorscope.ui.commands.run", null);
        assertNotNull(askedAgain.get(), "Run did not ask again after Cancel");
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000), "OK runs the model");
        assertEquals("pwned", Files.readString(target), "the model did write: the question is what stood in the way");
    }
}
