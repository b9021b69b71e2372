/**
 * What sockets and ports share inside: the active-mode state ({@code Demand}), the framing decoder
 * ({@code PacketDecoder}), the poller that watches every socket ({@code Poller}) and a socket read for its owner
 * through it ({@code PolledStream}) over its {@code Wire} (the channel's bytes, or TLS over them: {@code TlsWire},
 * with {@code HandshakeOutcome} and {@code TlsAlerts}), the reader thread of a program's output
 * ({@code StreamReader}), what both deliver ({@code Deliveries}), and the owner, whose exit closes the resource, with the process that
 * stands for the resource once asked for ({@code Ownership}, {@code PortProcess}). Not API.
 */
@InternalApi
package io.ergon.io.internal;

import io.ergon.api.InternalApi;
