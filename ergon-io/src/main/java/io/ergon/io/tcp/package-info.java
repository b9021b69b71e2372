/**
 * TCP as processes, after Erlang's {@code gen_tcp} and Ranch: a {@link io.ergon.io.tcp.TcpSocket} belongs to an
 * owner process, which it tells what arrives ({@link io.ergon.io.tcp.TcpData}, {@link io.ergon.io.tcp.TcpClosed},
 * {@link io.ergon.io.tcp.TcpError}, {@link io.ergon.io.tcp.TcpPassive}) as far as its
 * {@link io.ergon.io.Active} mode allows; a {@link io.ergon.io.tcp.TcpServer} is a supervisor with a listener
 * process and one supervised handler process per connection.
 */
package io.ergon.io.tcp;
