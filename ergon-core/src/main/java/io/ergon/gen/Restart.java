package io.ergon.gen;

/** When a supervisor restarts a child that terminated (OTP's {@code restart} child-spec key). */
public enum Restart {
    /** Always restarted, whatever the exit reason. */
    PERMANENT,
    /**
     * Restarted only after an abnormal exit: not after {@code normal}, {@code shutdown} or {@code {shutdown, Term}}.
     */
    TRANSIENT,
    /** Never restarted; forgotten by the supervisor once it terminates. */
    TEMPORARY
}
