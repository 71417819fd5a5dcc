package org.tensorscope.tensorflow.tests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.tensorflow.tests.TestModels;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.ModelLoader;

/** The loaders are registered as DS services with their format and file patterns. */
class ModelLoaderServicesTest {

    @Test
    void theTensorFlowLoadersAreRegisteredAndEachClaimsItsOwnFiles() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(ModelLoader.class).getBundleContext();
        ServiceTracker<ModelLoader, ModelLoader> tracker = new ServiceTracker<>(context, ModelLoader.class, null);
        tracker.open();
        try {
            tracker.waitForService(20_000);
            Map<String, List<String>> patterns = new TreeMap<>();
            Map<String, ModelLoader> byFormat = new TreeMap<>();
            for (ServiceReference<ModelLoader> ref : tracker.getServiceReferences()) {
                String format = (String) ref.getProperty(Tensorscope.PROP_FORMAT);
                Object p = ref.getProperty(Tensorscope.PROP_FILE_PATTERNS);
                patterns.put(format, p instanceof String[] a ? Arrays.asList(a) : List.of(String.valueOf(p)));
                byFormat.put(format, tracker.getService(ref));
            }
            assertEquals(Map.of("TF.js graph model", List.of("*.json"), "TF.js graph model (converter 0.x)",
                    List.of("tensorflowjs_model.pb", "weights_manifest.json"), "TensorFlow SavedModel",
                    List.of("saved_model.pb"), "TensorFlow frozen graph", List.of("*.pb", "*.pbtxt"),
                    "TF.js layers model", List.of("*.json"), "Keras HDF5 model", List.of("*.h5", "*.hdf5"),
                    "Keras model (.keras)", List.of("*.keras"), "TFLite flatbuffer", List.of("*.tflite")), patterns);

            Map<String, String> claims = Map.of("tfjs/handskeleton/handskeleton.json", "TF.js graph model",
                    "tfjs/mobilenet_v2_mid/model.json", "TF.js graph model", "savedmodel/tf1_half_plus_two",
                    "TensorFlow SavedModel", "savedmodel/tf2_python_functions/saved_model.pb", "TensorFlow SavedModel",
                    "tfjs-layers/mobilenet_v2/model.json", "TF.js layers model", "keras/mobilenet_v2.h5", "Keras HDF5 model",
                    "keras/mobilenet_v2.keras", "Keras model (.keras)", "tflite/pose_landmark_lite.tflite", "TFLite flatbuffer");
            for (Map.Entry<String, String> claim : claims.entrySet()) {
                Path path = TestModels.get(claim.getKey());
                List<String> claimedBy = byFormat.entrySet().stream().filter(e -> e.getValue().canLoad(path))
                        .map(Map.Entry::getKey).toList();
                assertEquals(List.of(claim.getValue()), claimedBy, claim.getKey());
                assertEquals(claim.getValue(), byFormat.get(claim.getValue()).format());
            }
            assertTrue(byFormat.values().stream().noneMatch(l -> l.canLoad(TestModels.get("NOTICE.md"))));
        } finally {
            tracker.close();
        }
    }
}
