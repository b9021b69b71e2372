package io.ergon.cli;

import io.ergon.net.EpmdClient;
import io.ergon.net.EpmdServer;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ergon epmd}: runs Ergon's EPMD alone, in the foreground, like Erlang's {@code epmd}. */
@Command(name = "epmd", description = "Runs an EPMD (Erlang port mapper) in the foreground until SIGTERM or Ctrl-C.")
final class EpmdCommand implements Callable<Integer> {
    @Option(names = {"-port", "--port"}, paramLabel = "PORT",
            description = "The port (default: ERL_EPMD_PORT, else 4369).")
    int port;

    @Option(names = {"-address", "--address"}, paramLabel = "ADDRESS",
            description = "The address to listen on (default: every interface, as epmd).")
    String address;

    @Override
    public Integer call() throws Exception {
        int p = port != 0 ? port : EpmdClient.defaultPort();
        InetAddress where = address == null ? null : InetAddress.getByName(address);
        EpmdServer epmd = EpmdServer.start(where, p);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            epmd.close();
            stopped.countDown();
        }, "ergon-epmd-shutdown"));
        System.out.println("ergon epmd: listening on port " + epmd.port()
                + (where == null ? "" : " at " + where.getHostAddress()) + "; SIGTERM or Ctrl-C stops it");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
