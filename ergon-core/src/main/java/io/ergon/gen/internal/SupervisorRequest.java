package io.ergon.gen.internal;

import io.ergon.gen.ChildSpec;

/** The calls a supervisor answers; the reply is a {@link SupervisorReply}. */
public sealed interface SupervisorRequest {
    /** OTP's {@code {start_child, ChildSpec}}. */
    record StartChild(ChildSpec spec) implements SupervisorRequest {
    }

    /** OTP's {@code {start_child, Args}} for simple_one_for_one. */
    record StartDynamic(Object arg) implements SupervisorRequest {
    }

    /** {@code {terminate_child, Id}}: an id (String), or a pid for simple_one_for_one. */
    record TerminateChild(Object child) implements SupervisorRequest {
    }

    /** {@code {restart_child, Id}}. */
    record RestartChild(String id) implements SupervisorRequest {
    }

    /** {@code {delete_child, Id}}. */
    record DeleteChild(String id) implements SupervisorRequest {
    }

    /** {@code {get_childspec, Id}}. */
    record GetChildSpec(String id) implements SupervisorRequest {
    }

    /** {@code which_children}. */
    record WhichChildren() implements SupervisorRequest {
    }

    /** {@code count_children}. */
    record CountChildren() implements SupervisorRequest {
    }

    /** Stop the supervisor with {@code reason} (what {@code gen_server:stop} does), after replying. */
    record Stop(Object reason) implements SupervisorRequest {
    }
}
