package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The embedded EPMD against hostile peers (issue 19): slow requests, and who may register or stop it. */
class EpmdHardeningTest {
    /** Its request deadline is 10 s for the whole request, however slowly the bytes come (it was per read). */
    @Test
    @Timeout(40)
    void aRequestFedOneByteAtATimeIsCutOffAtTheDeadline() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), epmd.port())) {
            s.setSoTimeout(100);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long start = System.nanoTime();
            long closedAfterMillis = -1;
            out.write(new byte[] {0, (byte) 200}); // a request of 200 bytes, that come one a second
            for (int i = 0; i < 25 && closedAfterMillis < 0; i++) {
                try {
                    out.write('n');
                    out.flush();
                    if (in.read() == -1) {
                        closedAfterMillis = (System.nanoTime() - start) / 1_000_000;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    Thread.sleep(900);
                } catch (IOException closed) {
                    closedAfterMillis = (System.nanoTime() - start) / 1_000_000;
                }
            }
            assertThat(closedAfterMillis).as("closed after (ms)").isBetween(9_000L, 13_000L);
            assertThat(new EpmdClient(InetAddress.getLoopbackAddress(), epmd.port()).names()).as("still serves").isEmpty();
        }
    }

    /** As Erlang's epmd: ALIVE2, KILL and STOP only from this host's own addresses. */
    @Test
    void onlyThisHostsAddressesCountAsLocal() throws Exception {
        assertThat(EpmdServer.isLocal(InetAddress.getLoopbackAddress())).isTrue();
        assertThat(EpmdServer.isLocal(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(EpmdServer.isLocal(InetAddress.getByName("192.0.2.1"))).as("TEST-NET-1, no host's").isFalse();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                assertThat(EpmdServer.isLocal(a)).as("%s of %s", a, nic.getName()).isTrue();
            }
        }
    }
}
