package io.ergon.gen.internal;

/**
 * What a supervisor sends itself when a restart failed (OTP's {@code {try_again_restart, Id}} cast): the restart is
 * tried again after the messages already queued, so that a stop request or a shutdown gets a chance first.
 *
 * @param child the child's id (String), or its old pid for simple_one_for_one
 */
public record TryAgain(Object child) {
}
