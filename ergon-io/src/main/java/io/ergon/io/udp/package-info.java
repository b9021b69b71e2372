/**
 * UDP as a process, after Erlang's {@code gen_udp}: a {@link io.ergon.io.udp.UdpSocket} belongs to an owner
 * process, to which it delivers each datagram as a {@link io.ergon.io.udp.UdpDatagram} as far as its
 * {@link io.ergon.io.Active} mode allows, and sends what it is told ({@link io.ergon.io.udp.UdpSocket#send}, or a
 * {@link io.ergon.io.udp.UdpSend} message to its port process).
 */
package io.ergon.io.udp;
