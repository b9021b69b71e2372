package io.ergon.gen;

/**
 * Whether a supervisor shuts itself down when {@linkplain ChildSpec#significant(boolean) significant} children
 * terminate by themselves (OTP 24+'s {@code auto_shutdown} flag). A child stopped by the supervisor (or through
 * {@link SupervisorClient#terminateChild}) never triggers it; a significant child that is restarted does not either.
 */
public enum AutoShutdown {
    /** Never; significant children are not allowed. */
    NEVER,
    /** When any significant child terminates (and is not restarted), the supervisor exits with {@code shutdown}. */
    ANY_SIGNIFICANT,
    /** When the last running significant child terminates, the supervisor exits with {@code shutdown}. */
    ALL_SIGNIFICANT
}
