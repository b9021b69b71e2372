package io.ergon.gen;

/**
 * A supervisor's children counted, as {@link SupervisorClient#countChildren()} reports them (OTP's
 * {@code count_children}).
 *
 * @param specs the child specs it holds (1 for a {@link Strategy#SIMPLE_ONE_FOR_ONE} supervisor: its template)
 * @param active the children whose process is alive
 * @param supervisors the children of type supervisor, running or not
 * @param workers the children of type worker, running or not
 */
public record ChildCounts(int specs, int active, int supervisors, int workers) {
}
