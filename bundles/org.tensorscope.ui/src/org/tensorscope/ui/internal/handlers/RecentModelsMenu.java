package org.tensorscope.ui.internal.handlers;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.ActionContributionItem;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.ui.actions.CompoundContributionItem;
import org.eclipse.ui.menus.IWorkbenchContribution;
import org.eclipse.ui.services.IServiceLocator;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.RecentModels;

/**
 * File > Recent Models: the last models opened, newest first.
 */
public class RecentModelsMenu extends CompoundContributionItem implements IWorkbenchContribution {

    private RecentModels recentModels;
    private DebugSession session;

    @Override
    public void initialize(IServiceLocator serviceLocator) {
        recentModels = serviceLocator.getService(RecentModels.class);
        session = serviceLocator.getService(DebugSession.class);
    }

    @Override
    protected IContributionItem[] getContributionItems() {
        List<Path> recent = recentModels == null ? List.of() : recentModels.list();
        if (recent.isEmpty()) {
            Action none = new Action("(none yet)") {
            };
            none.setEnabled(false);
            return new IContributionItem[] { new ActionContributionItem(none) };
        }
        IContributionItem[] items = new IContributionItem[recent.size()];
        for (int i = 0; i < recent.size(); i++) {
            Path model = recent.get(i);
            Action open = new Action("&" + (i + 1) + " " + model.getFileName() + "  (" + model.getParent() + ")") {
                @Override
                public void run() {
                    session.open(model, null, false);
                }
            };
            items[i] = new ActionContributionItem(open);
        }
        return items;
    }
}
