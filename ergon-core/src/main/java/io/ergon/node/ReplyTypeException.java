package io.ergon.node;

import io.ergon.term.TermFormat;

/**
 * A typed call ({@link ProcessContext#callAs(Object, Object, Class)}) got a reply that does not convert to the type
 * asked for: the message names the callee, the reply, its Java type and the type wanted. The call itself succeeded;
 * the reply is kept ({@link #reply()}).
 */
public class ReplyTypeException extends ClassCastException {
    private final transient Object reply;
    private final Class<?> wanted;

    /** The reply {@code reply} from {@code callee} did not convert to {@code wanted}. */
    public ReplyTypeException(Object callee, Object reply, Class<?> wanted) {
        super("the reply of " + TermFormat.format(callee) + " to a call, " + TermFormat.format(reply) + " (a "
                + reply.getClass().getName() + "), cannot be converted to " + wanted.getName());
        this.reply = reply;
        this.wanted = wanted;
    }

    /** The reply as it came. */
    public Object reply() {
        return reply;
    }

    /** The type the caller asked for. */
    public Class<?> wanted() {
        return wanted;
    }
}
