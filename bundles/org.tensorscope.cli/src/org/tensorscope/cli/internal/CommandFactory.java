package org.tensorscope.cli.internal;

import java.lang.reflect.Constructor;

import org.tensorscope.core.service.Contributions;

import picocli.CommandLine;

/**
 * Creates commands with the contributions they need: a command that takes {@link Contributions}
 * in its constructor gets them, so the list of commands lives only in {@link TensorscopeCommand}.
 */
final class CommandFactory implements CommandLine.IFactory {

    private final Contributions contributions;

    CommandFactory(Contributions contributions) {
        this.contributions = contributions;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        for (Constructor<?> constructor : type.getConstructors()) {
            if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == Contributions.class) {
                return type.cast(constructor.newInstance(contributions));
            }
        }
        return CommandLine.defaultFactory().create(type);
    }
}
