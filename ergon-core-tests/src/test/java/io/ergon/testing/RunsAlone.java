package io.ergon.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test class that must not share the machine with another test class: it asserts an upper bound on a time
 * (a restart within 1 s, an rpc's median within 50 ms, a close that does not wait) that the promise it checks is
 * about, and a second test class running beside it, on top of whatever else loads the machine, would measure the
 * other class, not the feature. The module's build runs most classes two at a time (two forked JVMs) and these,
 * tagged {@value #TAG}, afterwards, one at a time (see ergon-core-tests/pom.xml).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(RunsAlone.TAG)
public @interface RunsAlone {
    /** The JUnit tag the build selects these classes by. */
    String TAG = "runs-alone";
}
