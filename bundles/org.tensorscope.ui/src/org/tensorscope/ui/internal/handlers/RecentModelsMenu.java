package org.tensorscope.ui.internal.handlers;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.action.ActionContributionItem;
import org.eclipse.jface.action.IContributionItem;
import org.eclipse.ui.actions.CompoundContributionItem;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.RecentModels;

/**
 * File > Recent Models: the last models opened, newest first.
 */
public class RecentModelsMenu extends CompoundContributionItem {

    @Override
    protected IContributionItem[] getContributionItems() {
        List<Path> recent = RecentModels.list();
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
                    DebugSession.get().open(model, null, false);
                }
            };
            items[i] = new ActionContributionItem(open);
        }
        return items;
    }
}
