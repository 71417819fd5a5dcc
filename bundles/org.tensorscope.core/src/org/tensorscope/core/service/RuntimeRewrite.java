package org.tensorscope.core.service;

import java.util.List;

/**
 * A rewrite the backend's optimised runtime made to the graph for plain inference, which the
 * traced (unfused) run does not make: e.g. Conv2D+BiasAdd+Relu fused into one kernel.
 *
 * @param op       the model op whose output the rewritten kernel produces
 * @param kernel   the kernel that runs instead ("_FusedConv2D")
 * @param replaced the model's op types it replaces, in order ("Conv2D", "BiasAdd", "Relu")
 */
public record RuntimeRewrite(String op, String kernel, List<String> replaced) {

    public RuntimeRewrite {
        replaced = List.copyOf(replaced);
    }

    /** "Conv2D+BiasAdd+Relu". */
    public String replacedText() {
        return String.join("+", replaced);
    }
}
