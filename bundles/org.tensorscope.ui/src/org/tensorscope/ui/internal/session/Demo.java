package org.tensorscope.ui.internal.session;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.jobs.Job;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;

/**
 * The demo: the MediaPipe hand-pose landmark model (bundled, see demo/NOTICE.md) fed an HDR
 * camera frame that was never clipped to 0..255 nor scaled to 0..1, so its values reach 1e38 and
 * the first convolution overflows float32: a story from real bug reports, in one click.
 */
public final class Demo {

    /** The frame: the ramp test pattern at HDR intensity, never clipped. */
    public static final String FRAME = "input_1=ramp*1e38";

    private Demo() {
    }

    public static Path modelFile() throws IOException {
        URL entry = FrameworkUtil.getBundle(Demo.class).getEntry("demo/handskeleton.json");
        if (entry == null) {
            throw new IOException("the demo model is missing from the org.tensorscope.ui bundle");
        }
        FileLocator.toFileURL(FrameworkUtil.getBundle(Demo.class).getEntry("demo/handskeleton.bin"));
        return Path.of(FileLocator.toFileURL(entry).getPath());
    }

    /**
     * Opens the demo model, runs it with the broken frame, and lands on the NaN trace. The job
     * finds the model's files: the first time, they are extracted from the bundle.
     */
    public static Job open(DebugSession session) {
        return session.open("handskeleton.json", Demo::modelFile, new RunConfiguration(null, List.of(FRAME),
                "an HDR camera frame never clipped to 0..255 (values up to 1e38)", Device.CPU, HealthMode.FULL), true);
    }
}
