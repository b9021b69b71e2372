package io.ergon.gen.internal;

import io.ergon.gen.AutoShutdown;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.Restart;
import io.ergon.gen.Strategy;
import io.ergon.gen.SupervisorSpec;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks supervisor.erl makes on a start spec ({@code check_startspec/2}, {@code validSignificant/3}) that span
 * several settings. Each returns OTP's error term, or null if the spec is fine.
 */
public final class SpecCheck {
    private static final Atom START_SPEC = Atom.of("start_spec");
    private static final Atom BAD_START_SPEC = Atom.of("bad_start_spec");
    private static final Atom DUPLICATE_CHILD_NAME = Atom.of("duplicate_child_name");
    private static final Atom BAD_COMBINATION = Atom.of("bad_combination");
    private static final Atom AUTO_SHUTDOWN = Atom.of("auto_shutdown");
    private static final Atom SIGNIFICANT = Atom.of("significant");
    private static final Atom RESTART = Atom.of("restart");

    private SpecCheck() {
    }

    /** The reason a supervisor with this spec must not start, e.g. {@code {start_spec, {duplicate_child_name, Id}}}. */
    public static Object supervisor(SupervisorSpec spec) {
        if (spec.strategy() == Strategy.SIMPLE_ONE_FOR_ONE && spec.children().size() != 1) {
            return Tuple.of(BAD_START_SPEC, spec.children().stream().map(ChildSpec::id).map(Atom::of).toList());
        }
        Set<String> ids = new HashSet<>();
        for (ChildSpec child : spec.children()) {
            Object problem = child(child, spec.autoShutdown());
            if (problem != null) {
                return Tuple.of(START_SPEC, problem);
            }
            if (!ids.add(child.id())) {
                return Tuple.of(START_SPEC, Tuple.of(DUPLICATE_CHILD_NAME, Atom.of(child.id())));
            }
        }
        return null;
    }

    /** The reason this child may not join a supervisor with this auto-shutdown rule. */
    public static Object child(ChildSpec child, AutoShutdown autoShutdown) {
        if (!child.significant()) {
            return null;
        }
        if (autoShutdown == AutoShutdown.NEVER) {
            return Tuple.of(BAD_COMBINATION, List.of(Tuple.of(AUTO_SHUTDOWN, Atom.of("never")),
                    Tuple.of(SIGNIFICANT, Atom.TRUE)));
        }
        if (child.restart() == Restart.PERMANENT) {
            return Tuple.of(BAD_COMBINATION, List.of(Tuple.of(RESTART, Atom.of("permanent")),
                    Tuple.of(SIGNIFICANT, Atom.TRUE)));
        }
        return null;
    }
}
