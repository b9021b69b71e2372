package io.ergon.observer.snapshot;

import io.ergon.net.Rpc;
import io.ergon.term.Atom;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A running application, from {@code application:which_applications/0} (Erlang's, or Ergon's answer to it).
 *
 * @param name the application's name
 * @param description its description
 * @param version its version
 */
public record ApplicationRow(String name, String description, String version) {
    /** The applications running on {@code node}, in {@code which_applications}' order. */
    public static List<ApplicationRow> read(Rpc rpc, String node, Duration timeout) {
        Object answer = rpc.call(node, "application", "which_applications", List.of(), timeout);
        List<ApplicationRow> out = new ArrayList<>();
        if (answer instanceof List<?> apps) {
            for (Object a : apps) {
                if (a instanceof Tuple t && t.size() == 3) {
                    out.add(new ApplicationRow(t.get(0) instanceof Atom n ? n.name() : TermFormat.format(t.get(0)),
                            NodeSnapshot.text(t.get(1)), NodeSnapshot.text(t.get(2))));
                }
            }
        }
        return out;
    }
}
