package org.tensorscope.ui.internal.graph;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.model.CollapsedGraph.Edge;
import org.tensorscope.core.model.CollapsedGraph.Node;

/** A laid-out graph in model coordinates: where each box is and the path of each edge. */
public final class GraphDrawing {

    /** A box of the drawing. */
    public record Box(Node node, double x, double y, double width, double height) {

        public boolean contains(double px, double py) {
            return px >= x && px <= x + width && py >= y && py <= y + height;
        }

        public double centerX() {
            return x + width / 2;
        }

        public double centerY() {
            return y + height / 2;
        }
    }

    /** An edge's path: x0, y0, x1, y1, … from the producer's box to the consumer's. */
    public record Route(Edge edge, double[] points) {
    }

    private final CollapsedGraph graph;
    private final List<Box> boxes;
    private final List<Route> routes;
    private final Map<String, Box> boxesById;
    private final double width;
    private final double height;

    GraphDrawing(CollapsedGraph graph, List<Box> boxes, List<Route> routes, double width, double height) {
        this.graph = graph;
        this.boxes = List.copyOf(boxes);
        this.routes = List.copyOf(routes);
        this.boxesById = boxes.stream().collect(Collectors.toMap(b -> b.node().id(), Function.identity()));
        this.width = width;
        this.height = height;
    }

    public CollapsedGraph graph() {
        return graph;
    }

    public List<Box> boxes() {
        return boxes;
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<Box> box(String nodeId) {
        return Optional.ofNullable(boxesById.get(nodeId));
    }

    /** The box under a point, if any. */
    public Optional<Box> boxAt(double x, double y) {
        return boxes.stream().filter(b -> b.contains(x, y)).findFirst();
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }
}
