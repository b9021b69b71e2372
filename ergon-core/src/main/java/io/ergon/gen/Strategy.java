package io.ergon.gen;

/**
 * How a supervisor restarts its children when one of them terminates and must be restarted (OTP's
 * {@code strategy} flag).
 */
public enum Strategy {
    /** Only the child that terminated is restarted. */
    ONE_FOR_ONE,
    /** All children are stopped (in reverse start order) and started again (in start order). */
    ONE_FOR_ALL,
    /**
     * The child that terminated and every child started after it are stopped (in reverse start order) and started
     * again (in start order); the children started before it are left alone.
     */
    REST_FOR_ONE,
    /**
     * Like {@link #ONE_FOR_ONE}, for many children made from one template and started on demand
     * ({@link SupervisorClient#startDynamic(Object)}); children are stopped all at once.
     */
    SIMPLE_ONE_FOR_ONE
}
