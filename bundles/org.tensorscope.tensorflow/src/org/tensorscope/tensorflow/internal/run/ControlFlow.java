package org.tensorscope.tensorflow.internal.run;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorscope.core.model.TensorSpec;

/**
 * Where each tensor of a TF1-style control-flow graph is computed: in which loop frame
 * ({@code Enter} starts a child frame named by its {@code frame_name}, {@code Exit} leaves it), in
 * which phase of the loop's iterations, and under which cond branches ({@code Switch} outputs that
 * are dead when their branch is not taken, up to the {@code Merge} that joins them).
 * <p>
 * TensorFlow refuses an op whose inputs come from different frames, and a tensor of an untaken
 * branch is dead: any op reading it is dead too (except Merge), and fetching it fails. Probes must
 * therefore stay in their tensor's frame and survive dead branches.
 */
public final class ControlFlow {

    /** When a tensor of a loop frame is computed, relative to the loop's iterations. */
    public enum Phase {
        /** Outside every loop: once per run. */
        ROOT,
        /** Before the loop's condition: in every iteration, the last one (condition false) included. */
        HEADER,
        /** Loop invariants (constant {@code Enter}): available in every iteration. */
        INVARIANT,
        /** In the body: in every iteration whose condition is true. */
        BODY,
        /** After the condition turned false, on the way to {@code Exit}: once. */
        EXIT_SIDE,
        /** Downstream of a non-constant {@code Enter} without a {@code Merge}: the first iteration only. */
        ENTRY,
        /** Reads both sides of its loop's condition: never computed. */
        NEVER;

        /** Whether a tensor of this phase is computed in every iteration of its frame. */
        boolean everyIteration() {
            return this == HEADER || this == INVARIANT;
        }
    }

    /**
     * One side of a cond: live when {@code predicate} (a boolean tensor, or an int index for _SwitchN)
     * selects {@code branch}. Switches on the same predicate open the same branch: equality leaves the
     * Switch out.
     */
    public record Branch(String predicate, int branch, String switchOp) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Branch b && b.predicate.equals(predicate) && b.branch == branch;
        }

        @Override
        public int hashCode() {
            return predicate.hashCode() * 31 + branch;
        }

        /**
         * The cond, as a user reads it: the name scope its Switch and predicate share ("cond" for
         * cond/Switch_1 on cond/pred_id), else the Switch's own scope.
         */
        public String condName() {
            String[] a = switchOp.split("/");
            String[] b = predicate.substring(0, predicate.lastIndexOf(':')).split("/");
            int common = 0;
            while (common < a.length - 1 && common < b.length - 1 && a[common].equals(b[common])) {
                common++;
            }
            if (common > 0) {
                return String.join("/", java.util.Arrays.asList(a).subList(0, common));
            }
            int slash = switchOp.lastIndexOf('/');
            return slash < 0 ? switchOp : switchOp.substring(0, slash);
        }
    }

    /** Where a tensor is computed: frame, phase and the branches it depends on, outermost first. */
    public record Place(Frame frame, Phase phase, List<Branch> branches) {

        boolean isRoot() {
            return frame.isRoot();
        }
    }

    /** A loop frame; the root frame has an empty name and no parent. */
    public static final class Frame {

        private final String name;
        private final Frame parent;
        private final List<String> enters = new ArrayList<>();
        private final List<String> exits = new ArrayList<>();
        private String loopCond;
        private long parallelIterations = 10;
        private Place placeInParent;

        Frame(String name, Frame parent) {
            this.name = name;
            this.parent = parent;
        }

        public String name() {
            return name;
        }

        public Frame parent() {
            return parent;
        }

        public boolean isRoot() {
            return parent == null;
        }

        /** The LoopCond op deciding this frame's iterations; null when the frame has none. */
        public String loopCond() {
            return loopCond;
        }

        public List<String> enters() {
            return enters;
        }

        public List<String> exits() {
            return exits;
        }

        public long parallelIterations() {
            return parallelIterations;
        }

        /** Where the frame is entered in its parent: the place of its Enter ops' inputs. */
        public Place placeInParent() {
            return placeInParent;
        }

        public int depth() {
            return parent == null ? 0 : parent.depth() + 1;
        }

        /** The loop as a user reads it: the frame name without TF1's "/while_context" suffix. */
        public String displayName() {
            String shown = name.endsWith("/while_context") ? name.substring(0, name.length() - "/while_context".length())
                    : name;
            return parent == null || parent.isRoot() ? shown : parent.displayName() + " > " + shown;
        }

        @Override
        public String toString() {
            return isRoot() ? "(root)" : name;
        }
    }

    private static final Set<String> SWITCHES = Set.of("Switch", "RefSwitch", "_SwitchN");
    private static final Set<String> MERGES = Set.of("Merge", "RefMerge");
    private static final Set<String> ENTERS = Set.of("Enter", "RefEnter");
    private static final Set<String> EXITS = Set.of("Exit", "RefExit");
    private static final Set<String> NEXT_ITERATIONS = Set.of("NextIteration", "RefNextIteration");

    private final Frame root = new Frame("", null);
    private final Map<String, Frame> frames = new LinkedHashMap<>();
    private final Map<String, NodeDef> nodes = new LinkedHashMap<>();
    private final Map<String, Place> nodePlaces = new HashMap<>();
    private final Map<String, Place> tensorPlaces = new HashMap<>();
    private final boolean hasControlFlow;

    private ControlFlow(GraphDef graph) {
        graph.getNodeList().forEach(n -> nodes.put(n.getName(), n));
        hasControlFlow = graph.getNodeList().stream()
                .anyMatch(n -> SWITCHES.contains(n.getOp()) || ENTERS.contains(n.getOp()));
        if (hasControlFlow) {
            analyse();
        }
    }

    public static ControlFlow of(GraphDef graph) {
        return new ControlFlow(graph);
    }

    /** Whether the graph has any Switch or Enter; when not, every tensor is in the root frame. */
    public boolean hasControlFlow() {
        return hasControlFlow;
    }

    public Frame root() {
        return root;
    }

    public Collection<Frame> frames() {
        return frames.values();
    }

    /** Where a tensor ("op:k") is computed. */
    public Place place(String tensor) {
        if (!hasControlFlow) {
            return new Place(root, Phase.ROOT, List.of());
        }
        Place place = tensorPlaces.get(tensor);
        if (place != null) {
            return place;
        }
        String op = tensor.substring(0, tensor.lastIndexOf(':'));
        return nodePlaces.getOrDefault(op, new Place(root, Phase.ROOT, List.of()));
    }

    /** The node, when the graph has one of this name. */
    public Optional<NodeDef> node(String op) {
        return Optional.ofNullable(nodes.get(op));
    }

    /**
     * Whether the op is an Enter or a NextIteration, whose output is its input's value carried into a
     * loop frame or into the next iteration.
     */
    public boolean isForwarding(String op) {
        NodeDef node = nodes.get(op);
        return node != null && (ENTERS.contains(node.getOp()) || NEXT_ITERATIONS.contains(node.getOp()));
    }

    /**
     * The tensor holding a tensor's value where it is computed: an Enter's output is its input's value
     * carried into a loop, a NextIteration's its input's carried into the next iteration.
     */
    public String source(String tensor) {
        String source = tensor;
        for (int depth = 0; depth < 64 && hasControlFlow; depth++) {
            String op = source.substring(0, source.lastIndexOf(':'));
            if (!isForwarding(op)) {
                break;
            }
            source = TensorSpec.tensorName(nodes.get(op).getInput(0));
        }
        return source;
    }

    private void analyse() {
        for (NodeDef node : topologicalOrder()) {
            String type = node.getOp();
            if (ENTERS.contains(type)) {
                enter(node);
            } else if (EXITS.contains(type)) {
                exit(node);
            } else if (MERGES.contains(type)) {
                merge(node);
            } else if (SWITCHES.contains(type)) {
                switchOp(node);
            } else {
                Place place = combine(inputPlaces(node));
                nodePlaces.put(node.getName(), place);
                if (type.equals("LoopCond") && !place.isRoot() && place.frame().loopCond == null) {
                    place.frame().loopCond = node.getName();
                }
            }
        }
    }

    private void enter(NodeDef node) {
        List<Place> inputs = inputPlaces(node);
        Place outer = combine(inputs);
        String frameName = node.getAttrOrDefault("frame_name", AttrValue.getDefaultInstance()).getS()
                .toString(StandardCharsets.UTF_8);
        String key = outer.frame().name() + "\u0000" + frameName;
        Frame frame = frames.computeIfAbsent(key, k -> new Frame(frameName, outer.frame()));
        frame.enters.add(node.getName());
        if (node.containsAttr("parallel_iterations")) {
            frame.parallelIterations = node.getAttrOrThrow("parallel_iterations").getI();
        }
        frame.placeInParent = frame.placeInParent == null ? outer
                : new Place(outer.frame(), combinePhases(List.of(frame.placeInParent.phase(), outer.phase())),
                        union(List.of(frame.placeInParent.branches(), outer.branches())));
        boolean constant = node.getAttrOrDefault("is_constant", AttrValue.getDefaultInstance()).getB();
        nodePlaces.put(node.getName(), new Place(frame, constant ? Phase.INVARIANT : Phase.ENTRY, List.of()));
    }

    private void exit(NodeDef node) {
        Place inside = combine(inputPlaces(node));
        nodePlaces.put(node.getName(), inside);
        Frame frame = inside.frame();
        if (frame.isRoot()) {
            return;
        }
        frame.exits.add(node.getName());
        Place outside = frame.placeInParent != null ? frame.placeInParent : new Place(frame.parent(), Phase.ROOT, List.of());
        tensorPlaces.put(node.getName() + ":0", outside);
    }

    private void merge(NodeDef node) {
        List<String> data = dataInputs(node);
        List<Place> forward = new ArrayList<>();
        boolean loopMerge = false;
        for (String input : data) {
            NodeDef producer = nodes.get(opOf(input));
            if (producer != null && NEXT_ITERATIONS.contains(producer.getOp())) {
                loopMerge = true;
            } else {
                forward.add(tensorPlace(input));
            }
        }
        if (forward.isEmpty()) {
            nodePlaces.put(node.getName(), new Place(root, Phase.ROOT, List.of()));
            return;
        }
        Frame frame = deepest(forward);
        if (loopMerge) {
            nodePlaces.put(node.getName(), new Place(frame, frame.isRoot() ? Phase.ROOT : Phase.HEADER, List.of()));
            return;
        }
        // a cond's Merge is live when any input is: only the branches all its inputs share remain
        List<Branch> common = new ArrayList<>(forward.get(0).branches());
        forward.forEach(p -> common.retainAll(p.branches()));
        Phase phase = combinePhases(forward.stream().map(Place::phase).toList());
        nodePlaces.put(node.getName(), new Place(frame, phase, common));
    }

    private void switchOp(NodeDef node) {
        List<String> data = dataInputs(node);
        Place place = combine(inputPlaces(node));
        nodePlaces.put(node.getName(), place);
        if (data.size() < 2) {
            return;
        }
        String predicate = TensorSpec.tensorName(data.get(1));
        NodeDef predicateOp = nodes.get(opOf(predicate));
        int outputs = node.getOp().equals("_SwitchN")
                ? (int) node.getAttrOrDefault("num_outs", AttrValue.newBuilder().setI(2).build()).getI()
                : 2;
        boolean loopSwitch = predicateOp != null && predicateOp.getOp().equals("LoopCond");
        for (int k = 0; k < outputs; k++) {
            String tensor = node.getName() + ":" + k;
            if (loopSwitch && !place.isRoot()) {
                Phase phase = k == 1 ? Phase.BODY : Phase.EXIT_SIDE;
                tensorPlaces.put(tensor, new Place(place.frame(), combinePhases(List.of(place.phase(), phase)),
                        place.branches()));
            } else {
                List<Branch> branches = new ArrayList<>(place.branches());
                Branch branch = new Branch(predicate, k, node.getName());
                boolean contradicts = branches.stream()
                        .anyMatch(b -> b.predicate().equals(predicate) && b.branch() != branch.branch());
                if (!branches.contains(branch)) {
                    branches.add(branch);
                }
                tensorPlaces.put(tensor, new Place(place.frame(), contradicts ? Phase.NEVER : place.phase(), branches));
            }
        }
    }

    private List<Place> inputPlaces(NodeDef node) {
        List<Place> places = new ArrayList<>();
        for (String input : node.getInputList()) {
            if (input.startsWith("^")) {
                // a control edge carries its producer's liveness, not one of its outputs'
                places.add(nodePlaces.getOrDefault(input.substring(1), new Place(root, Phase.ROOT, List.of())));
            } else {
                places.add(tensorPlace(input));
            }
        }
        return places;
    }

    private Place tensorPlace(String input) {
        String tensor = TensorSpec.tensorName(input);
        Place place = tensorPlaces.get(tensor);
        return place != null ? place
                : nodePlaces.getOrDefault(opOf(tensor), new Place(root, Phase.ROOT, List.of()));
    }

    private Place combine(List<Place> inputs) {
        if (inputs.isEmpty()) {
            return new Place(root, Phase.ROOT, List.of());
        }
        Frame frame = deepest(inputs);
        List<Place> same = inputs.stream().filter(p -> p.frame() == frame).toList();
        Phase phase = frame.isRoot() ? Phase.ROOT : combinePhases(same.stream().map(Place::phase).toList());
        return new Place(frame, phase, union(same.stream().map(Place::branches).toList()));
    }

    private static Frame deepest(List<Place> places) {
        Frame deepest = places.get(0).frame();
        for (Place p : places) {
            if (p.frame().depth() > deepest.depth()) {
                deepest = p.frame();
            }
        }
        return deepest;
    }

    private static Phase combinePhases(List<Phase> phases) {
        Set<Phase> set = new LinkedHashSet<>(phases);
        set.remove(Phase.ROOT);
        if (set.contains(Phase.NEVER) || set.contains(Phase.BODY) && set.contains(Phase.EXIT_SIDE)) {
            return Phase.NEVER;
        }
        if (set.contains(Phase.ENTRY)) {
            return Phase.ENTRY;
        }
        if (set.contains(Phase.BODY)) {
            return Phase.BODY;
        }
        if (set.contains(Phase.EXIT_SIDE)) {
            return Phase.EXIT_SIDE;
        }
        if (set.isEmpty()) {
            return Phase.ROOT;
        }
        return Phase.HEADER;
    }

    private static List<Branch> union(List<List<Branch>> lists) {
        LinkedHashSet<Branch> all = new LinkedHashSet<>();
        lists.forEach(all::addAll);
        return List.copyOf(all);
    }

    /** Kahn's order over data and control edges, leaving out the back edges NextIteration -> Merge. */
    private List<NodeDef> topologicalOrder() {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (NodeDef node : nodes.values()) {
            int count = 0;
            for (String input : node.getInputList()) {
                String producer = opOf(input.startsWith("^") ? input.substring(1) : input);
                NodeDef p = nodes.get(producer);
                if (p == null || MERGES.contains(node.getOp()) && NEXT_ITERATIONS.contains(p.getOp())) {
                    continue;
                }
                count++;
                consumers.computeIfAbsent(producer, k -> new ArrayList<>()).add(node.getName());
            }
            pending.put(node.getName(), count);
        }
        Deque<String> ready = new ArrayDeque<>();
        pending.forEach((name, count) -> {
            if (count == 0) {
                ready.add(name);
            }
        });
        List<NodeDef> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            String name = ready.poll();
            order.add(nodes.get(name));
            for (String consumer : consumers.getOrDefault(name, List.of())) {
                if (pending.merge(consumer, -1, Integer::sum) == 0) {
                    ready.add(consumer);
                }
            }
        }
        if (order.size() < nodes.size()) {
            Set<NodeDef> seen = Set.copyOf(order);
            nodes.values().stream().filter(n -> !seen.contains(n)).forEach(order::add);
        }
        return order;
    }

    private static List<String> dataInputs(NodeDef node) {
        return node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
    }

    private static String opOf(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.lastIndexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }
}
