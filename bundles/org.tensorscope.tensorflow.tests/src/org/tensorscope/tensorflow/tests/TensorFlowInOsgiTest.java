package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.tensorflow.internal.GpuNatives;
import org.tensorscope.tensorflow.internal.JavaCppCache;

class TensorFlowInOsgiTest {

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    @Test
    void runsASmallGraphInsideOsgi() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> x = tf.constant(new float[] { 1f, 2f, 3f });
            Operand<TFloat32> y = tf.math.add(tf.math.mul(x, tf.constant(2f)), tf.constant(1f));
            try (TFloat32 result = (TFloat32) session.runner().fetch(y).run().get(0)) {
                float[] values = new float[3];
                for (int i = 0; i < 3; i++) {
                    values[i] = result.getFloat(i);
                }
                assertArrayEquals(new float[] { 3f, 5f, 7f }, values);
            }
        }
    }

    @Test
    void backendServiceReportsTensorFlow2180AndTheCpu() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(InferenceBackend.class).getBundleContext();
        ServiceTracker<InferenceBackend, InferenceBackend> tracker = new ServiceTracker<>(context,
                InferenceBackend.class, null);
        tracker.open();
        try {
            InferenceBackend backend = tracker.waitForService(20_000);
            assertNotNull(backend, "no InferenceBackend service registered within 20 s");
            assertEquals("tensorflow", backend.id());
            BackendInfo info = backend.describe();
            assertEquals("TensorFlow " + org.tensorflow.TensorFlow.version(), info.displayName(), "the runtime's version");
            assertTrue(info.displayName().matches("TensorFlow \\d+\\.\\d+\\.\\d+"), info.displayName());
            assertTrue(info.devices().stream().anyMatch(d -> d.name().equals("CPU:0")),
                    "devices: " + info.devices());
        } finally {
            tracker.close();
        }
    }

    @Test
    void defaultBuildUsesTheCpuNatives() {
        assertFalse(GpuNatives.installed(), "the CUDA natives come only with -Pgpu");
        assertNotEquals("-gpu", System.getProperty("org.bytedeco.javacpp.platform.extension"));
    }

    @Test
    void nativeCacheFolderIsPerTensorFlowVersionUnderTheUsersCache() {
        assertEquals(Path.of("/home/ada/.cache/tensorscope/javacpp/tensorflow-java-1.1.0"),
                JavaCppCache.defaultFolder(null, null, "/home/ada", "1.1.0"));
        assertEquals(Path.of("/xdg/tensorscope/javacpp/tensorflow-java-1.1.0"),
                JavaCppCache.defaultFolder("", "/xdg", "/home/ada", "1.1.0"));
        assertEquals(Path.of("/opt/cache"), JavaCppCache.defaultFolder("/opt/cache", "/xdg", "/home/ada", "1.1.0"));
    }

    @Test
    void theCacheFolderIsNamedForTheTensorFlowBundleInUse() {
        Bundle tensorFlow = FrameworkUtil.getBundle(org.tensorflow.TensorFlow.class);
        assertNotNull(tensorFlow, "TensorFlow comes from a bundle");
        assertEquals("org.tensorflow.core", tensorFlow.getSymbolicName());
        String version = tensorFlow.getVersion().getMajor() + "." + tensorFlow.getVersion().getMinor() + "."
                + tensorFlow.getVersion().getMicro();
        assertEquals(version, JavaCppCache.tensorFlowJavaVersion());
    }
}
