package io.ergon.gen;

import io.ergon.term.Pid;

/**
 * A started application, as {@link Applications#running()} lists it (OTP's {@code which_applications/0}, plus the
 * mode and the root process).
 *
 * @param name its name
 * @param description its description
 * @param version its version
 * @param mode what its own stop would do
 * @param root its root process (usually its top supervisor), or null for an application without one
 */
public record RunningApplication(String name, String description, String version, ApplicationMode mode, Pid root) {
}
