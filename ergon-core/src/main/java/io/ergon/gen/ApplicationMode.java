package io.ergon.gen;

/**
 * What happens when a started application stops by itself, i.e. its root process exits (OTP's application restart
 * type; application_controller.erl {@code handle_info({'EXIT', ...})}). Stopping an application with
 * {@link Applications#stop(String)} never counts.
 */
public enum ApplicationMode {
    /** Its stop is logged; nothing else happens. OTP's default. */
    TEMPORARY,
    /** If its root exits with {@code normal} it is logged; with any other reason the node is stopped. */
    TRANSIENT,
    /** Whatever the reason, the node is stopped (gracefully: the other applications stop first, newest first). */
    PERMANENT
}
