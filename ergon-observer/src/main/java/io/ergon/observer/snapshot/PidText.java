package io.ergon.observer.snapshot;

import io.ergon.term.Atom;
import io.ergon.term.Pid;

/**
 * A pid as the observer writes it, {@code <0.Id.Serial>} (how its own node prints it), and back: with the node
 * named beside it and the node's current creation, a text names one pid.
 */
public final class PidText {
    private PidText() {
    }

    /** {@code <0.Id.Serial>}. */
    public static String of(Pid pid) {
        return "<0." + pid.id() + "." + pid.serial() + ">";
    }

    /**
     * The pid {@code text} ({@code <0.Id.Serial>}, or {@code <N.Id.Serial>} as another node prints it) names on
     * {@code node}, of incarnation {@code creation}.
     *
     * @throws IllegalArgumentException if it is not a pid's text
     */
    public static Pid parse(String node, String text, int creation) {
        String t = text.trim();
        if (!t.startsWith("<") || !t.endsWith(">")) {
            throw new IllegalArgumentException("not a pid: " + text);
        }
        String[] parts = t.substring(1, t.length() - 1).split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a pid: " + text);
        }
        try {
            return new Pid(Atom.of(node), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), creation);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a pid: " + text, e);
        }
    }
}
