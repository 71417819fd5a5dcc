package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.UncheckedTensor;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * The health passes take shortcuts: the CURT pass bounds magnitudes, anchors tensors whose NaN would reach a watched
 * one, keeps fusible chains whole; both modes read constants once and give copies their input's row, and FULL reads
 * what it can from the fetched values. Whatever they skip, they must find what a pass probing every tensor finds: on
 * each real model of the corpus, opened as the command line opens it, and on inputs from healthy to past float32's
 * range (where the bounds hold for some tensors and fail for others), each pass and the probing one of its mode find
 * non-finite tensors or neither does, they name the same first one (the origin) and leave the same ones unchecked.
 * FULL, which fuses nothing, flags exactly what its probing pass flags. Past the origin, what a CURT pass flags may
 * differ from its probing pass where one of them runs a chain fused and the other not: on some CPUs a fused kernel's
 * activation maps NaN to a number (see RuntimeFidelityTest). So the CURT pass may flag fewer, and it flags nothing
 * that both probing passes, fused and unfused, find finite.
 */
class PassShortcutsTest {

    private static final List<String> SCALES = List.of("ramp", "normal:0:1:7", "normal:0:1:7*1e12", "ramp*1e18",
            "normal:0:1:7*1e24", "ramp*1e30", "ramp*1e36", "normal:0:1:7*1e37", "ramp*1e38", "normal:0:1:7*3e38");

    private static Contributions contributions;

    @BeforeAll
    static void openContributions() {
        contributions = new Contributions(FrameworkUtil.getBundle(PassShortcutsTest.class).getBundleContext());
    }

    @AfterAll
    static void closeContributions() {
        contributions.close();
    }

    /**
     * A model, the sources fed to its first input, what its other inputs are fed, and whether some of those sources
     * make a tensor non-finite (an integer image cannot hold values that overflow these models).
     */
    record Case(String model, List<String> sources, List<String> others, boolean floods) {

        static Case floats(String model) {
            return new Case(model, SCALES, List.of(), true);
        }

        @Override
        public String toString() {
            return model;
        }
    }

    static Stream<Case> models() {
        List<String> frame = List.of("ramp@1x256x256x3", "ramp*1e20@1x256x256x3", "ramp*1e36@1x256x256x3",
                "ramp*1e38@1x256x256x3");
        // rvm's recurrent states and downsample ratio as CorpusTest feeds them: both of its conds take a branch
        List<String> rvmStates = List.of("r1i=zeros@1x1x1x1", "r2i=zeros@1x1x1x1", "r3i=zeros@1x1x1x1",
                "r4i=zeros@1x1x1x1", "downsample_ratio=const:0.25@scalar");
        return Stream.of(Case.floats("tfjs/handskeleton/handskeleton.json"),
                Case.floats("tfjs/handlandmark-lite/handlandmark-lite.json"), Case.floats("tfjs/mobilenet_v2_mid/model.json"),
                Case.floats("tfjs/posenet/posenet.json"), Case.floats("tfjs/blazepose-lite/blazepose-lite.json"),
                Case.floats("tfjs/emotion/emotion.json"), Case.floats("tflite/face_detection_short_range.tflite"),
                Case.floats("tflite/pose_landmark_lite.tflite"), Case.floats("tfjs-layers/mobilenet_v2/model.json"),
                new Case("tfjs/rvm/rvm.json", frame, rvmStates, true),
                new Case("tfjs/movenet-lightning/movenet-lightning.json",
                        List.of("ramp*255", "ramp*2e9", "const:2000000000"), List.of(), false),
                new Case("tfjs/faceboxes/faceboxes.json",
                        List.of("ramp*255@1x256x256x3", "const:255@1x256x256x3"), List.of(), false));
    }

    private record Seen(Set<String> nonFinite, Set<String> unchecked, String first) {

        static Seen of(Trace trace) {
            Set<String> nonFinite = trace.rows().stream().filter(r -> !r.isFinite()).map(TensorHealth::tensor)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            return new Seen(nonFinite, trace.unchecked().stream().map(UncheckedTensor::tensor).collect(Collectors.toSet()),
                    nonFinite.stream().findFirst().orElse(null));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void eachPassFindsWhatProbingEveryTensorFinds(Case c) throws Exception {
        try (LoadedModel model = contributions.open(TestModels.get(c.model()), new NullProgressMonitor());
                TfSession curt = (TfSession) contributions.backendFor(model).open(model, Device.CPU);
                TfSession full = (TfSession) contributions.backendFor(model).open(model, Device.CPU);
                TfSession curtProbing = (TfSession) contributions.backendFor(model).open(model, Device.CPU);
                TfSession fullProbing = (TfSession) contributions.backendFor(model).open(model, Device.CPU)) {
            curtProbing.probeEveryTensorEachRun(true);
            fullProbing.probeEveryTensorEachRun(true);
            Signature signature = model.graph().defaultSignature().orElseThrow();
            List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
            String input = signature.inputs().get(0).key();
            List<String> disagreements = new ArrayList<>();
            int flooded = 0;
            for (String source : c.sources()) {
                List<String> inputs = new ArrayList<>(c.others());
                inputs.add(0, input + "=" + source);
                Map<String, TensorData> feeds = PreparedInputs.prepare(signature, inputs).feeds();
                Seen probedCurt = Seen.of(curtProbing.healthPass(feeds, outputs, HealthMode.CURT, Map.of(), null));
                Seen probedFull = Seen.of(fullProbing.healthPass(feeds, outputs, HealthMode.FULL, Map.of(), null));
                flooded += probedFull.nonFinite().isEmpty() ? 0 : 1;
                Seen passCurt = Seen.of(curt.healthPass(feeds, outputs, HealthMode.CURT, Map.of(), null));
                Set<String> extra = new LinkedHashSet<>(passCurt.nonFinite());
                extra.removeAll(probedCurt.nonFinite());
                extra.removeAll(probedFull.nonFinite());
                if (!Objects.equals(passCurt.first(), probedCurt.first()) || !extra.isEmpty()
                        || !passCurt.unchecked().equals(probedCurt.unchecked())) {
                    disagreements.add("CURT, " + source + ": " + describe(passCurt, probedCurt));
                }
                Seen passFull = Seen.of(full.healthPass(feeds, outputs, HealthMode.FULL, Map.of(), null));
                if (!Objects.equals(passFull.first(), probedFull.first())
                        || !passFull.nonFinite().equals(probedFull.nonFinite())
                        || !passFull.unchecked().equals(probedFull.unchecked())) {
                    disagreements.add("FULL, " + source + ": " + describe(passFull, probedFull));
                }
            }
            assertEquals(List.of(), disagreements);
            // the inputs reach past what the model computes finitely: the comparison covers flagged passes too
            assertTrue(c.floods() ? flooded >= 2 : flooded == 0, flooded + " of " + c.sources().size()
                    + " inputs flag a tensor");
        }
    }

    private static String describe(Seen pass, Seen probed) {
        Set<String> missed = new LinkedHashSet<>(probed.nonFinite());
        missed.removeAll(pass.nonFinite());
        Set<String> extra = new LinkedHashSet<>(pass.nonFinite());
        extra.removeAll(probed.nonFinite());
        return "first " + pass.first() + " against " + probed.first() + "; missed " + limited(missed) + ", extra "
                + limited(extra) + "; unchecked " + pass.unchecked().size() + " against " + probed.unchecked().size();
    }

    private static List<String> limited(Set<String> tensors) {
        return tensors.stream().limit(5).toList();
    }
}
