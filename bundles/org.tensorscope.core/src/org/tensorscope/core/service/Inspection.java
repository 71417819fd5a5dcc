package org.tensorscope.core.service;

import java.util.List;

/**
 * What a {@link TensorInspector} found, as a titled table that any view or report can show.
 */
public record Inspection(String title, List<String> columns, List<List<String>> rows) {

    public Inspection {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
    }
}
