/**
 * External programs as processes, after Erlang's {@code open_port({spawn_executable, ...})}: an
 * {@link io.ergon.io.port.ExternalPort} runs a program for an owner process, delivers its stdout as
 * {@link io.ergon.io.port.PortData} messages, writes what it is given to the program's stdin, and reports the
 * program's exit status as {@link io.ergon.io.port.PortExitStatus}.
 */
package io.ergon.io.port;
