/**
 * The supervisor's machinery: one class per restart strategy, restart intensity, OTP's shutdown protocol for a
 * child, the supervisor's request and reply messages.
 *
 * <p><b>Internal:</b> not exported by {@code module-info}; not for users, and it may change in any release without
 * notice (see {@link io.ergon.api.InternalApi}).
 */
@InternalApi
package io.ergon.gen.internal;

import io.ergon.api.InternalApi;
