/**
 * The runtime behind {@code io.ergon.node}: the process object ({@code ProcessCore}), its signals, links and
 * monitors, the node's registry and sends ({@code NodeCore}), the scheduler, its carrier threads and timer wheel,
 * and the one implementation of {@link io.ergon.node.ProcessContext}. docs/ARCHITECTURE.md maps it class by class.
 *
 * <p><b>Internal:</b> not exported by {@code module-info}; not for users, and it may change in any release without
 * notice (see {@link io.ergon.api.InternalApi}).
 */
@InternalApi
package io.ergon.node.internal;

import io.ergon.api.InternalApi;
