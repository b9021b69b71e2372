package io.ergon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.cli.demo.SupervisionDemo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErgonCliTest {
    @Test
    void theSupervisionActTellsTheWholeStory() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SupervisionDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("== Act 2: a supervision tree heals itself ==",
                "the root restarted it alone: cache",
                "it stops 'ledger' too and restarts both",
                "exceeds the limit: payments stops its children and exits with 'shutdown'",
                "restarts the whole subtree",
                "The tree is whole again:");
        // the tree is printed twice, before and after, each with both workers under payments
        assertThat(out.split("└── ledger", -1)).hasSize(3);
    }

    @Test
    void examplesRunByNameAndAnUnknownNameIsRefused() {
        assertThat(ErgonCli.run("example", "simple-actor")).isZero();
        assertThat(ErgonCli.run("example", "supervised-worker")).isZero();
        for (String name : new String[] {"code-lock", "alarms", "worker-pool"}) {
            assertThat(ErgonCli.run("example", name)).as(name).isZero();
        }
        assertThat(ErgonCli.run("example", "no-such-example")).isEqualTo(2);
    }

    @Test
    void everySubcommandAnswersHelp() {
        for (String sub : new String[] {"demo", "example", "node", "ping", "rpc", "top", "epmd", "names", "term"}) {
            for (String flag : new String[] {"--help", "-h"}) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                PrintStream old = System.out;
                System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
                int status;
                try {
                    status = ErgonCli.run(sub, flag);
                } finally {
                    System.setOut(old);
                }
                String out = bytes.toString(StandardCharsets.UTF_8);
                assertThat(status).as("ergon %s %s", sub, flag).isZero();
                assertThat(out).as("ergon %s %s", sub, flag).contains("Usage: ergon " + sub).contains("--help");
            }
        }
    }
}
