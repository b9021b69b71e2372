/**
 * Lock-free building blocks usable by every layer: the one MPSC queue ({@code MpscQueue}) that mailboxes and
 * connections use, and VarHandle look-ups.
 *
 * <p><b>Internal:</b> not exported by {@code module-info}; not for users, and it may change in any release without
 * notice (see {@link io.ergon.api.InternalApi}).
 */
@InternalApi
package io.ergon.concurrent.internal;

import io.ergon.api.InternalApi;
