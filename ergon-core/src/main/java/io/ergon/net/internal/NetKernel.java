package io.ergon.net.internal;

import io.ergon.gen.GenServer;
import io.ergon.node.From;
import io.ergon.term.Atom;
import io.ergon.term.Tuple;

/**
 * The part of Erlang's {@code net_kernel} that peers talk to, registered as {@code net_kernel}: it answers
 * {@code {is_auth, Node}} with {@code yes}, which is what {@code net_adm:ping/1} asks (a node that got this far has
 * already passed the cookie check).
 */
public final class NetKernel extends GenServer {
    /** The registered name. */
    public static final Atom NAME = Atom.of("net_kernel");
    private static final Atom IS_AUTH = Atom.of("is_auth");
    private static final Atom YES = Atom.of("yes");
    private static final Atom UNSUPPORTED = Atom.of("unsupported");

    @Override
    protected Object handleCall(Object request, From from) {
        if (request instanceof Tuple t && t.size() == 2 && t.get(0) == IS_AUTH) {
            return YES;
        }
        return Tuple.of(Atom.ERROR, Tuple.of(UNSUPPORTED, request));
    }

    @Override
    protected void handleCast(Object message) {
        log().debug("net_kernel ignored a cast: {}", message);
    }

    @Override
    protected void handleInfo(Object message) {
        log().debug("net_kernel ignored a message: {}", message);
    }
}
