package org.tensorscope.cli.internal;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.DeviceInfo;
import org.tensorscope.core.service.InferenceBackend;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tensorscope version}: the Tensorscope version and, per backend, its framework and devices.
 */
@Command(name = "version", description = "Print the Tensorscope version, the frameworks it runs models with and their devices.")
public class VersionCommand implements java.util.concurrent.Callable<Integer> {

    private final Contributions contributions;

    @Spec
    CommandSpec spec;

    public VersionCommand(Contributions contributions) {
        this.contributions = contributions;
    }

    @Override
    public Integer call() throws BackendException {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Tensorscope.NAME + " " + Tensorscope.version());
        List<InferenceBackend> backends = contributions.backends();
        if (backends.isEmpty()) {
            out.println("No backend is installed: models cannot be run.");
            return 1;
        }
        for (InferenceBackend backend : backends) {
            BackendInfo info = backend.describe();
            out.println(info.displayName());
            out.println("  devices: " + info.devices().stream().map(DeviceInfo::name).collect(Collectors.joining(", ")));
        }
        return 0;
    }
}
