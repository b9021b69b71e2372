/**
 * I/O as processes: what sockets and external programs share. A socket or a program belongs to an owner process,
 * to which it delivers what arrives as messages, and is linked to it (the owner's exit closes it). How many messages
 * it may deliver before the owner asks again is its {@link io.ergon.io.Active} mode, Erlang's {@code active}
 * option; how bytes are cut into messages is its {@link io.ergon.io.Packet} framing. Sockets are in
 * {@code io.ergon.io.tcp} and {@code io.ergon.io.udp}, external programs in {@code io.ergon.io.port}.
 */
package io.ergon.io;
