package io.ergon.net;

import io.ergon.node.Node;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The contracts between JVMs, run inside a node's own JVM on a namespace host ({@link HostNodeMain}): that node is
 * {@code local()}, the peers are nodes on other hosts. The classes it runs are named so that the build's own test run
 * does not pick them up (they need this JVM's node).
 */
final class AcrossHosts {
    static volatile Node node;
    static volatile String ergonPeer;
    static volatile String erlangPeer;

    private AcrossHosts() {
    }

    /** A finished run: how many tests ran, and one line per failure. */
    record Outcome(long run, List<String> failures) {
    }

    /** Runs the contracts with {@code node} against the two peers, one class after another. */
    static Outcome runContracts(Node local, String ergon, String erlang) {
        node = local;
        ergonPeer = ergon;
        erlangPeer = erlang;
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(
                selectClass(AcrossHostsMessaging.class), selectClass(AcrossHostsFaultTolerance.class),
                selectClass(AcrossHostsErlangFaultTolerance.class), selectClass(AcrossHostsErlangMessaging.class))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        List<String> failures = new ArrayList<>();
        for (TestExecutionSummary.Failure f : summary.getFailures()) {
            failures.add(f.getTestIdentifier().getDisplayName() + " in " + f.getTestIdentifier().getUniqueId()
                    + ": " + f.getException());
        }
        return new Outcome(summary.getTestsStartedCount(), failures);
    }
}
