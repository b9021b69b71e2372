/**
 * Erlang's distribution protocol: the handshake and cookies, connections with their frame reader and writer,
 * control messages, net_kernel, the rex and io servers, remote spawn and erpc.
 *
 * <p><b>Internal:</b> not exported by {@code module-info}; not for users, and it may change in any release without
 * notice (see {@link io.ergon.api.InternalApi}).
 */
@InternalApi
package io.ergon.net.internal;

import io.ergon.api.InternalApi;
