package io.ergon.cli;

import io.ergon.net.EpmdClient;
import java.net.ConnectException;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ergon names}: the names an EPMD knows, like {@code epmd -names}. */
@Command(name = "names", description = "Lists the nodes registered with an EPMD, like 'epmd -names'.")
final class NamesCommand implements Callable<Integer> {
    @Option(names = {"-port", "--port"}, paramLabel = "PORT",
            description = "The EPMD port (default: ERL_EPMD_PORT, else 4369).")
    int port;

    @Option(names = {"-host", "--host"}, paramLabel = "HOST", description = "The EPMD's host (default: localhost).")
    String host = "localhost";

    @Override
    public Integer call() throws Exception {
        int p = port != 0 ? port : EpmdClient.defaultPort();
        try {
            var names = new EpmdClient(InetAddress.getByName(host), p).names();
            System.out.println("epmd: up and running on port " + p + " with data:");
            for (EpmdClient.NodeEntry e : names) {
                System.out.println("name " + e.name() + " at port " + e.port());
            }
            return 0;
        } catch (ConnectException e) {
            System.out.println("epmd: Cannot connect to local epmd");
            return 1;
        }
    }
}
