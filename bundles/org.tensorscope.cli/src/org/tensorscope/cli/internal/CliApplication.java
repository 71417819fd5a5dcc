package org.tensorscope.cli.internal;

import java.io.PrintWriter;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

import org.tensorscope.core.service.Contributions;

import picocli.CommandLine;

/**
 * The headless {@code tensorscope} application: parses the command line and returns its exit code.
 */
public class CliApplication implements IApplication {

    /**
     * The commands that open a model, for which the inference worker is started right away; the
     * tensorscope launch script starts it even before this framework for the same commands.
     */
    static final java.util.Set<String> MODEL_COMMANDS = java.util.Set.of("info", "run", "trace", "compare", "sequence");

    @Override
    public Object start(IApplicationContext context) {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS,
                new String[0]);
        BundleContext bundleContext = FrameworkUtil.getBundle(CliApplication.class).getBundleContext();
        try (Contributions contributions = new Contributions(bundleContext)) {
            if (args.length > 0 && MODEL_COMMANDS.contains(args[0])) {
                contributions.startWorker();
            }
            return run(contributions, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } catch (LinkageError e) {
            // e.g. TensorFlow's natives missing for this platform: picocli only handles exceptions
            System.err.println("tensorscope: cannot load a library it needs: " + e.getMessage());
            return TensorscopeCommand.EXIT_USAGE;
        } catch (OutOfMemoryError e) {
            // never exit 0 without a word: for trace, 0 would read as "all finite"
            System.err.println("tensorscope: out of memory (the Java heap is " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB): the model or its input is too large; set TENSORSCOPE_MAX_HEAP (e.g. 8g) to allow more");
            return TensorscopeCommand.EXIT_USAGE;
        } catch (StackOverflowError e) {
            System.err.println("tensorscope: the model's graph is nested too deeply to process");
            return TensorscopeCommand.EXIT_USAGE;
        }
    }

    /** Runs one command line; separate from {@link #start} so tests can call it. */
    public static int run(Contributions contributions, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new TensorscopeCommand(), new CommandFactory(contributions));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new UserErrorHandler());
        return commandLine.execute(args);
    }

    @Override
    public void stop() {
        // commands finish on their own; nothing holds the framework open
    }
}
