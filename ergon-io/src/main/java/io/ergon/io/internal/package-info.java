/**
 * What sockets and ports share inside: the active-mode state ({@code Demand}), the framing decoder
 * ({@code PacketDecoder}), the reader of a byte stream for its owner ({@code StreamReader}), and the owner with the
 * process that links the resource to it ({@code Ownership}, {@code PortProcess}). Not API.
 */
@InternalApi
package io.ergon.io.internal;

import io.ergon.api.InternalApi;
