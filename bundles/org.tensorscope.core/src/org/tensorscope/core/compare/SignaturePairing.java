package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.SignatureTensor;

/**
 * Pairs the inputs or the outputs of two signatures: by key when the keys agree and pair tensors of one shape (or
 * of one shape in the two channel layouts, NCHW and NHWC);
 * otherwise by shape, in signature order among tensors of one shape (a converter may number its outputs
 * otherwise, as TFLite's and TF.js's {@code Identity_k} do), and says why.
 */
final class SignaturePairing {

    /**
     * @param pairs A's tensor to B's
     * @param note  how they were paired when not by key, in words; empty when by key
     */
    record Result(Map<String, String> pairs, String note) {
    }

    private SignaturePairing() {
    }

    /**
     * @param what    "inputs" or "outputs", for the note
     * @param shapesA the shapes A's tensors have in this run (computed or fed), by tensor name; the static
     *                shape stands in for a tensor not there
     */
    static Result pair(String what, List<SignatureTensor> a, List<SignatureTensor> b, Map<String, Shape> shapesA,
            Map<String, Shape> shapesB, boolean layouts) {
        Map<String, String> byKey = new LinkedHashMap<>();
        List<String> clashes = new ArrayList<>();
        boolean sameKeys = !a.isEmpty() && a.stream().allMatch(x -> b.stream().anyMatch(y -> y.key().equals(x.key())));
        if (sameKeys) {
            for (SignatureTensor x : a) {
                SignatureTensor y = b.stream().filter(t -> t.key().equals(x.key())).findFirst().orElseThrow();
                Shape sx = shape(x, shapesA);
                Shape sy = shape(y, shapesB);
                if (Shapes.compatible(sx, sy) || layouts && ChannelLayout.relayable(sx, sy)) {
                    byKey.put(x.tensor().name(), y.tensor().name());
                } else {
                    clashes.add(x.key() + " " + sx + " in A, " + sy + " in B");
                }
            }
            if (clashes.isEmpty()) {
                return new Result(byKey, "");
            }
        }
        Map<String, String> byShape = new LinkedHashMap<>();
        Set<String> usedB = new HashSet<>();
        // exact shapes first, so that a tensor of a partly known shape does not take another's counterpart
        pass(a, b, shapesA, shapesB, byShape, usedB, Shapes::same);
        pass(a, b, shapesA, shapesB, byShape, usedB, Shapes::compatible);
        if (layouts) {
            pass(a, b, shapesA, shapesB, byShape, usedB, ChannelLayout::relayable);
        }
        String why = sameKeys ? "their keys pair tensors of different shapes (" + String.join("; ", clashes) + ")"
                : "their keys differ";
        String paired = byShape.entrySet().stream()
                .map(e -> key(a, e.getKey()) + " with " + key(b, e.getValue()) + " " + shape(find(a, e.getKey()), shapesA))
                .collect(Collectors.joining(", "));
        List<String> leftA = a.stream().filter(x -> !byShape.containsKey(x.tensor().name())).map(SignatureTensor::key)
                .toList();
        List<String> leftB = b.stream().filter(y -> !usedB.contains(y.tensor().name())).map(SignatureTensor::key)
                .toList();
        String left = leftA.isEmpty() && leftB.isEmpty() ? ""
                : "; no counterpart of that shape: " + describe(leftA, "A") + (leftA.isEmpty() || leftB.isEmpty() ? "" : ", ")
                        + describe(leftB, "B");
        return new Result(byShape, what + " paired by shape, in order, not by signature key, as " + why
                + (paired.isEmpty() ? "" : ": " + paired) + left);
    }

    private static void pass(List<SignatureTensor> a, List<SignatureTensor> b, Map<String, Shape> shapesA,
            Map<String, Shape> shapesB, Map<String, String> pairs, Set<String> usedB, BiPredicate<Shape, Shape> fits) {
        for (SignatureTensor x : a) {
            if (pairs.containsKey(x.tensor().name())) {
                continue;
            }
            Shape sx = shape(x, shapesA);
            Optional<SignatureTensor> y = b.stream()
                    .filter(t -> !usedB.contains(t.tensor().name()) && fits.test(sx, shape(t, shapesB))).findFirst();
            y.ifPresent(t -> {
                pairs.put(x.tensor().name(), t.tensor().name());
                usedB.add(t.tensor().name());
            });
        }
    }

    private static String describe(List<String> keys, String side) {
        return keys.isEmpty() ? "" : String.join(", ", keys) + " of " + side;
    }

    private static SignatureTensor find(List<SignatureTensor> tensors, String name) {
        return tensors.stream().filter(t -> t.tensor().name().equals(name)).findFirst().orElseThrow();
    }

    private static String key(List<SignatureTensor> tensors, String name) {
        return find(tensors, name).key();
    }

    private static Shape shape(SignatureTensor t, Map<String, Shape> shapes) {
        return shapes.getOrDefault(t.tensor().name(), t.tensor().shape());
    }
}
