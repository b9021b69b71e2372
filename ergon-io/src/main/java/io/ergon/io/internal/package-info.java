/**
 * What sockets and ports share inside: the active-mode state ({@code Demand}), the framing decoder
 * ({@code PacketDecoder}) and the process that links a resource to its owner ({@code PortProcess}). Not API.
 */
@InternalApi
package io.ergon.io.internal;

import io.ergon.api.InternalApi;
