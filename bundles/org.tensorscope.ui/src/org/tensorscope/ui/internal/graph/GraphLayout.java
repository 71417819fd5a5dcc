package org.tensorscope.ui.internal.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.elk.alg.layered.LayeredLayoutProvider;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;
import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.model.CollapsedGraph.Edge;
import org.tensorscope.core.model.CollapsedGraph.Node;
import org.tensorscope.ui.internal.graph.GraphDrawing.Box;
import org.tensorscope.ui.internal.graph.GraphDrawing.Route;

/**
 * Places the boxes and routes the edges of a collapsed graph with ELK's layered algorithm, data
 * flowing downwards. Runs off the UI thread, so box sizes come from label lengths, not fonts.
 */
public final class GraphLayout {

    static final double CHAR_WIDTH = 8;
    static final double BOX_HEIGHT = 36;
    private static final double MIN_WIDTH = 70;
    private static final double MAX_WIDTH = 240;

    static {
        // registers ELK's option types (cloning of defaults needs them) and the layered algorithm
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
    }

    private GraphLayout() {
    }

    public static GraphDrawing layout(CollapsedGraph graph, IProgressMonitor monitor) {
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE, 18.0);
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 28.0);
        root.setProperty(LayeredOptions.THOROUGHNESS, 2);
        Map<String, ElkNode> elkNodes = new HashMap<>();
        Map<ElkNode, Node> nodesOfElk = new HashMap<>();
        for (Node node : graph.nodes()) {
            ElkNode elk = ElkGraphUtil.createNode(root);
            elk.setDimensions(width(node), BOX_HEIGHT);
            elkNodes.put(node.id(), elk);
            nodesOfElk.put(elk, node);
        }
        Map<ElkEdge, Edge> edgesOfElk = new HashMap<>();
        for (Edge edge : graph.edges()) {
            edgesOfElk.put(ElkGraphUtil.createSimpleEdge(elkNodes.get(edge.from()), elkNodes.get(edge.to())), edge);
        }
        new LayeredLayoutProvider().layout(root, new BasicProgressMonitor() {
            @Override
            public boolean isCanceled() {
                return monitor.isCanceled();
            }
        });
        if (monitor.isCanceled()) {
            throw new OperationCanceledException();
        }
        List<Box> boxes = new ArrayList<>();
        for (ElkNode elk : root.getChildren()) {
            boxes.add(new Box(nodesOfElk.get(elk), elk.getX(), elk.getY(), elk.getWidth(), elk.getHeight()));
        }
        List<Route> routes = new ArrayList<>();
        for (ElkEdge elk : root.getContainedEdges()) {
            if (elk.getSections().isEmpty()) {
                continue;
            }
            ElkEdgeSection section = elk.getSections().get(0);
            List<Double> points = new ArrayList<>();
            points.add(section.getStartX());
            points.add(section.getStartY());
            for (ElkBendPoint bend : section.getBendPoints()) {
                points.add(bend.getX());
                points.add(bend.getY());
            }
            points.add(section.getEndX());
            points.add(section.getEndY());
            routes.add(new Route(edgesOfElk.get(elk), points.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return new GraphDrawing(graph, boxes, routes, root.getWidth(), root.getHeight());
    }

    private static double width(Node node) {
        // a scope box starts its label with "▸ "
        int chars = Math.max(node.label().length() + (node.isScope() ? 2 : 0), node.type().length());
        return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, chars * CHAR_WIDTH + 16));
    }
}
