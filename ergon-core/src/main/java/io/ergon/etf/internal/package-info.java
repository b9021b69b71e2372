/**
 * The codec's helpers: the decoder's atom cache and UTF-8 checks.
 *
 * <p><b>Internal:</b> not exported by {@code module-info}; not for users, and it may change in any release without
 * notice (see {@link io.ergon.api.InternalApi}).
 */
@InternalApi
package io.ergon.etf.internal;

import io.ergon.api.InternalApi;
