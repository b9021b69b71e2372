package io.ergon.gen.internal;

/** A supervisor's answer to a {@link SupervisorRequest}: OTP's {@code ok}/{@code {ok, V}} or {@code {error, R}}. */
public sealed interface SupervisorReply {
    /** Success, with a value (a pid, a list, counts, a spec) or null. */
    record Ok(Object value) implements SupervisorReply {
    }

    /** Refusal, with OTP's error term; {@code cause} is the Java exception behind it, if any (same node only). */
    record Error(Object reason, Throwable cause) implements SupervisorReply {
    }

    SupervisorReply OK = new Ok(null);

    static SupervisorReply error(Object reason) {
        return new Error(reason, null);
    }
}
