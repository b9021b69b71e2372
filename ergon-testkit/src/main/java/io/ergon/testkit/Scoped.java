package io.ergon.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An extension whose resources live for one test when it is registered from an instance field, and for the whole
 * class when registered from a {@code static} one (JUnit calls only the latter before all tests).
 */
abstract class Scoped implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private boolean perClass;

    /** Releases what the extension started; called after each test, or after the class. */
    abstract void stop();

    @Override
    public final void beforeAll(ExtensionContext context) {
        perClass = true;
    }

    @Override
    public final void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public final void afterAll(ExtensionContext context) {
        stop();
    }
}
