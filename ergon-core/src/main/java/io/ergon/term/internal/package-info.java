/**
 * The insides of term values that the codec and the runtime reach without copying: the arrays behind tuples and
 * lists, the process handle a local pid carries.
 *
 * <p><b>Internal:</b> not exported by {@code module-info}; not for users, and it may change in any release without
 * notice (see {@link io.ergon.api.InternalApi}).
 */
@InternalApi
package io.ergon.term.internal;

import io.ergon.api.InternalApi;
