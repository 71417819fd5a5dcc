package org.tensorscope.ui.internal.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

class RequirementTextTest {

    private static Requirement requirement(String namespace, String filter) {
        return new Requirement() {
            @Override
            public String getNamespace() {
                return namespace;
            }

            @Override
            public Map<String, String> getDirectives() {
                return Map.of("filter", filter);
            }

            @Override
            public Map<String, Object> getAttributes() {
                return Map.of();
            }

            @Override
            public Resource getResource() {
                return null;
            }
        };
    }

    @Test
    void packageWithAHalfOpenRangeReadsAsInTheManifest() {
        assertEquals("package com.example.foo [1.0.0,2.0.0)", RequirementText.of(requirement("osgi.wiring.package",
                "(&(osgi.wiring.package=com.example.foo)(version>=1.0.0)(!(version>=2.0.0)))")));
    }

    @Test
    void exclusiveLowerAndInclusiveUpperBounds() {
        assertEquals("package com.example.foo (1.0.0,2.0.0]", RequirementText.of(requirement("osgi.wiring.package",
                "(&(osgi.wiring.package=com.example.foo)(!(version<=1.0.0))(version<=2.0.0))")));
    }

    @Test
    void aMinimumVersionAloneAndNoVersionAtAll() {
        assertEquals("package com.example.foo 1.2.0 or later", RequirementText.of(requirement("osgi.wiring.package",
                "(&(osgi.wiring.package=com.example.foo)(version>=1.2.0))")));
        assertEquals("package com.example.foo",
                RequirementText.of(requirement("osgi.wiring.package", "(osgi.wiring.package=com.example.foo)")));
    }

    @Test
    void aMaximumVersionAlone() {
        assertEquals("package com.example.foo [0.0.0,2.0.0)", RequirementText.of(requirement("osgi.wiring.package",
                "(&(osgi.wiring.package=com.example.foo)(!(version>=2.0.0)))")));
    }

    @Test
    void requiredBundle() {
        assertEquals("bundle org.example.lib [3.0.0,4.0.0)", RequirementText.of(requirement("osgi.wiring.bundle",
                "(&(osgi.wiring.bundle=org.example.lib)(bundle-version>=3.0.0)(!(bundle-version>=4.0.0)))")));
    }
}
