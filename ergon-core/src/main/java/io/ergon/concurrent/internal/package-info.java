/**
 * Building blocks usable by every layer: the one MPSC queue ({@code MpscQueue}) that mailboxes and connections use,
 * VarHandle look-ups, and whether the machine's CPUs are contended ({@code MachineLoad}), which decides whether
 * threads spin or poll for their next piece of work.
 *
 * <p><b>Internal:</b> not exported by {@code module-info}; not for users, and it may change in any release without
 * notice (see {@link io.ergon.api.InternalApi}).
 */
@InternalApi
package io.ergon.concurrent.internal;

import io.ergon.api.InternalApi;
