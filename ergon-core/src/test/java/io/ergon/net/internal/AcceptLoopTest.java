package io.ergon.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node whose process runs out of file descriptors goes on accepting once they come back, and so does an EPMD in
 * the same process (issue 19: both stopped accepting for good, the node still registered in EPMD, where Erlang
 * recovers). The probe runs in a JVM of its own under
 * {@code ulimit -n 512}, so that exhausting descriptors harms nothing else.
 */
class AcceptLoopTest {
    @Test
    @Timeout(120)
    void theAcceptLoopOutlivesFileDescriptorExhaustion() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n 512 && exec '" + java + "' --add-opens java.base/java.lang=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' " + FdExhaustionProbe.class.getName();
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("the probe's output").contains("EXHAUSTED after").contains("RECOVERED")
                    .doesNotContain("NOT RECOVERED").contains("EPMD SERVES");
        } finally {
            p.destroyForcibly();
        }
    }
}
