package org.tensorscope.ui.internal.handlers;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.SideEffectOps;

/**
 * Before the first run of a model holding ops that reach outside it (see {@link SideEffectOps}),
 * function bodies and init ops included, lists them and asks; the answer holds for that model
 * until the workbench closes.
 */
@Component(service = SideEffectConsent.class)
public final class SideEffectConsent {

    private static final int LISTED = 12;
    private final Set<Path> allowed = ConcurrentHashMap.newKeySet();

    public SideEffectConsent() {
        // created by the OSGi component runtime
    }

    boolean allowed(Shell shell, ModelGraph graph) {
        List<OpNode> risky = SideEffectOps.in(graph);
        if (risky.isEmpty() || allowed.contains(graph.source())) {
            return true;
        }
        String listed = risky.stream().limit(LISTED).map(op -> "  " + SideEffectOps.describe(op))
                .collect(Collectors.joining("\n"));
        boolean run = MessageDialog.openConfirm(shell, "Run " + graph.source().getFileName(),
                graph.source().getFileName() + " holds " + risky.size()
                        + (risky.size() == 1 ? " op that reaches" : " ops that reach")
                        + " outside the model (files, processes, the network, debug sinks or code "
                        + "Tensorscope cannot inspect) when it runs:\n\n" + listed
                        + (risky.size() > LISTED ? "\n  …" : "") + "\n\nRun it anyway?");
        if (run) {
            allowed.add(graph.source());
        }
        return run;
    }
}
