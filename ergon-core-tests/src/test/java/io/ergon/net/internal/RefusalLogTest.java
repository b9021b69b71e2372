package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.testkit.LogCapture;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {
    @Test
    void aFloodOfRefusalsFromOneAddressWritesOneLineAWindowWithItsCount() throws Exception {
        String logger = "io.ergon.test.RefusalLogTest";
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(logger), "victim@localhost", now::get);
        InetAddress attacker = InetAddress.getByName("127.0.0.1");
        InetAddress other = InetAddress.getByName("127.0.0.2");
        try (LogCapture log = LogCapture.of(logger).atLevel(org.slf4j.event.Level.WARN)) {
            for (int i = 0; i < 1000; i++) {
                refusals.refused(attacker, "/127.0.0.1:" + (40000 + i), "invalid challenge reply " + i);
                now.addAndGet(1_000_000); // 1 ms apart: the whole flood takes 1 s
            }
            assertThat(log.messages()).containsExactly(
                    "victim@localhost: refused a connection from /127.0.0.1:40000: invalid challenge reply 0");

            refusals.refused(other, "/127.0.0.2:1", "not allowed");
            assertThat(log.messages()).hasSize(2).last().asString().contains("127.0.0.2");

            now.addAndGet(RefusalLog.WINDOW_NANOS);
            refusals.refused(attacker, "/127.0.0.1:50000", "the cookies differ");
            assertThat(log.messages()).hasSize(4);
            assertThat(log.messages().get(2)).isEqualTo("victim@localhost: refused 999 more handshakes from "
                    + "127.0.0.1 in the last 10 s, the last: invalid challenge reply 999");
            assertThat(log.messages().get(3)).contains("/127.0.0.1:50000: the cookies differ");
        }
    }
}
