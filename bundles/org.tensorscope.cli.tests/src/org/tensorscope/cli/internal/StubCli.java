package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.ModelLoader;

/**
 * The command line as a script runs it, over stub services registered for a test class: a loader (under its format)
 * and any backends. {@link #run} gives the exit code and keeps what the command printed on stdout and stderr, afresh
 * for each test. Register it on a static field with {@code @RegisterExtension}.
 */
final class StubCli implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final ModelLoader loader;
    private final InferenceBackend[] backends;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private Contributions contributions;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    StubCli(ModelLoader loader, InferenceBackend... backends) {
        this.loader = loader;
        this.backends = backends;
    }

    @Override
    public void beforeAll(ExtensionContext test) {
        BundleContext context = FrameworkUtil.getBundle(test.getRequiredTestClass()).getBundleContext();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("tensorscope.format", loader.format());
        registrations.add(context.registerService(ModelLoader.class, loader, properties));
        for (InferenceBackend backend : backends) {
            registrations.add(context.registerService(InferenceBackend.class, backend, new Hashtable<>()));
        }
        contributions = new Contributions(context, false);
    }

    @Override
    public void beforeEach(ExtensionContext test) {
        out = new StringWriter();
        err = new StringWriter();
    }

    @Override
    public void afterAll(ExtensionContext test) {
        contributions.close();
        registrations.reversed().forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    int run(String... args) {
        return CliApplication.run(contributions, args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Forgets what stderr said so far, for a test that runs a second command line. */
    void forgetErr() {
        err = new StringWriter();
    }

    /** What stderr says, checked to be one line without a stack trace. */
    String oneLine() {
        String text = err().strip();
        assertEquals(1, text.lines().count(), "one line on stderr, got: " + text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), "no stack trace: " + text);
        return text;
    }
}
