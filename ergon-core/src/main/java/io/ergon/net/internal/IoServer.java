package io.ergon.net.internal;

import io.ergon.node.Actor;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.TermFormat;
import io.ergon.term.Tuple;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's io server, registered as {@code user}: the group leader of processes this node spawns on Erlang nodes
 * and of the functions it runs there with rpc. It answers Erlang's io protocol so {@code io:format} on the other
 * side works: output ({@code put_chars}, including {@code io_lib:format} requests, formatted here for the common
 * directives) goes to the log, at info level under {@code io.ergon.io}; input requests get
 * {@code {error, enotsup}}; options are accepted.
 */
public final class IoServer extends Actor {
    /** The registered name. */
    public static final Atom NAME = Atom.of("user");
    private static final Logger IO = LoggerFactory.getLogger("io.ergon.io");
    private static final Atom IO_REQUEST = Atom.of("io_request");
    private static final Atom IO_REPLY = Atom.of("io_reply");
    private static final Atom PUT_CHARS = Atom.of("put_chars");
    private static final Atom REQUESTS = Atom.of("requests");
    private static final Atom SETOPTS = Atom.of("setopts");
    private static final Atom GETOPTS = Atom.of("getopts");
    private static final Atom ENOTSUP = Atom.of("enotsup");

    @Override
    protected void handleMessage(Object message) {
        if (message instanceof Tuple t && t.size() == 4 && t.get(0) == IO_REQUEST && t.get(1) instanceof Pid from) {
            Object reply = request(from, t.get(3));
            send(from, Tuple.of(IO_REPLY, t.get(2), reply));
        }
    }

    private Object request(Pid from, Object req) {
        if (req instanceof Tuple r && r.size() > 0 && r.get(0) == PUT_CHARS) {
            String text = switch (r.size()) {
                case 2 -> chars(r.get(1));
                case 3 -> chars(r.get(2));
                case 5 -> apply(r.get(2), r.get(3), r.get(4));
                case 6 -> apply(r.get(3), r.get(4), r.get(5));
                default -> String.valueOf(r);
            };
            IO.info("{}: {}", from, text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            return Atom.OK;
        }
        if (req instanceof Tuple r && r.size() == 2 && r.get(0) == REQUESTS && r.get(1) instanceof List<?> all) {
            Object last = Atom.OK;
            for (Object one : all) {
                last = request(from, one);
            }
            return last;
        }
        if (req instanceof Tuple r && r.size() == 2 && r.get(0) == SETOPTS) {
            return Atom.OK;
        }
        if (req == GETOPTS) {
            return List.of();
        }
        return Tuple.of(Atom.ERROR, ENOTSUP);
    }

    /** {@code io_lib:format(Format, Args)} and friends, for the common directives. */
    private static String apply(Object module, Object function, Object args) {
        if (module == Atom.of("io_lib") && function == Atom.of("format") && args instanceof List<?> a
                && a.size() == 2 && a.get(1) instanceof List<?> fargs) {
            return format(chars(a.get(0)), fargs);
        }
        return TermFormat.format(Tuple.of(module, function, args));
    }

    static String format(String fmt, List<?> args) {
        StringBuilder out = new StringBuilder();
        Iterator<?> next = args.iterator();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '~' || i + 1 >= fmt.length()) {
                out.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            switch (d) {
                case 'n' -> out.append('\n');
                case '~' -> out.append('~');
                case 'p', 'w', 'P', 'W' -> {
                    Object v = next.hasNext() ? next.next() : "";
                    out.append(d == 'p' || d == 'P' ? TermFormat.print(v) : TermFormat.format(v));
                    if ((d == 'P' || d == 'W') && next.hasNext()) {
                        next.next(); // the depth
                    }
                }
                case 's', 'a' -> out.append(next.hasNext() ? chars(next.next()) : "");
                case 'c' -> out.append(next.hasNext() && next.next() instanceof Long ch ? Character.toString(ch.intValue()) : "");
                case 'b', 'B', 'd', 'i', 'e', 'f', 'g' -> {
                    Object v = next.hasNext() ? next.next() : "";
                    if (d != 'i') {
                        out.append(TermFormat.format(v));
                    }
                }
                default -> out.append('~').append(d);
            }
        }
        next.forEachRemaining(rest -> out.append(' ').append(TermFormat.format(rest)));
        return out.toString();
    }

    /** Erlang chardata (nested lists of characters and binaries), or an atom, as text. */
    static String chars(Object data) {
        StringBuilder out = new StringBuilder();
        appendChars(out, data, 0);
        return out.toString();
    }

    private static void appendChars(StringBuilder out, Object data, int depth) {
        switch (data) {
            case Binary b -> out.append(b.utf8());
            case Long ch when ch >= 0 && ch <= Character.MAX_CODE_POINT -> out.appendCodePoint(ch.intValue());
            case List<?> list when depth < 100 -> list.forEach(e -> appendChars(out, e, depth + 1));
            case Atom a -> out.append(a.name());
            default -> out.append(TermFormat.format(data));
        }
    }
}
