/**
 * Erlang's {@code global} as a peer speaks it (OTP 25's {@code global.erl}, protocol version 8): the name server
 * registered as {@code global_name_server} ({@link io.ergon.net.internal.global.GlobalServer}), its locker, registrar,
 * resolvers and syncers, and the tables of names and locks they share. {@link io.ergon.net.Global} is the public
 * face.
 *
 * <p><b>Internal:</b> not exported by {@code module-info}; not for users, and it may change in any release without
 * notice (see {@link io.ergon.api.InternalApi}).
 */
@InternalApi
package io.ergon.net.internal.global;

import io.ergon.api.InternalApi;
