package io.ergon.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.net.EpmdServer;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Pid;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class ErgonAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgonAutoConfiguration.class));

    /** A service the greeter gets from Spring, as an application's actors get theirs. */
    static final class Greeting {
        String greet(Object who) {
            return "Hello " + who;
        }
    }

    static final class Greeter extends GenServer {
        private final Greeting greeting;

        Greeter(Greeting greeting) {
            this.greeting = greeting;
        }

        @Override
        protected Object handleCall(Object request, From from) {
            if (request.equals("crash")) {
                throw new IllegalStateException("asked to crash");
            }
            return greeting.greet(request);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Children {
        @Bean
        Greeting greeting() {
            return new Greeting();
        }

        @Bean
        @Order(1)
        ChildSpec greeter(Greeting greeting) {
            return ChildSpec.worker("greeter", () -> new Greeter(greeting)).register("greeter");
        }

        @Bean
        @Order(2)
        ChildSpec other(Greeting greeting) {
            return ChildSpec.worker("other", () -> new Greeter(greeting));
        }
    }

    @Test
    void theNodeTakesItsNameAndOptionsFromTheErgonSettings() {
        runner.withPropertyValues("ergon.name=spring_a@localhost", "ergon.parallelism=2",
                "ergon.shutdown-timeout=3s").run(context -> {
                    Node node = context.getBean(Node.class);
                    assertThat(node.name().name()).isEqualTo("spring_a@localhost");
                    assertThat(node.options().parallelism()).isEqualTo(2);
                    assertThat(node.options().shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(node.isDistributed()).isFalse();
                });
    }

    @Test
    void withoutANameTheApplicationsNameIsUsed() {
        runner.withPropertyValues("spring.application.name=order-service").run(context ->
                assertThat(context.getBean(Node.class).name().name()).isEqualTo("order-service@localhost"));
    }

    @Test
    void environmentVariablesUseTheSameNamesInCapitals() {
        runner.withInitializer(c -> c.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource("test-env", Map.of("ERGON_NAME", "spring_env",
                                "ERGON_SHUTDOWN_TIMEOUT", "2s"))))
                .run(context -> {
                    Node node = context.getBean(Node.class);
                    assertThat(node.name().name()).isEqualTo("spring_env@localhost");
                    assertThat(node.options().shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
                });
    }

    @Test
    void aBadSettingFailsTheStartNamingTheKeyAndValue() {
        runner.withPropertyValues("ergon.epmd-port=lots").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("ergon.epmd-port = 'lots' from the Spring environment");
        });
    }

    @Test
    void childSpecBeansRunUnderTheRootSupervisorAndStopWithTheContext() {
        AtomicReference<Node> started = new AtomicReference<>();
        runner.withUserConfiguration(Children.class).withPropertyValues("ergon.name=spring_b@localhost")
                .run(context -> {
                    Node node = context.getBean(Node.class);
                    started.set(node);
                    ErgonRoot root = context.getBean(ErgonRoot.class);
                    assertThat(node.whereis(ErgonRoot.DEFAULT_NAME)).isEqualTo(root.pid());
                    assertThat(root.client().whichChildren()).extracting(c -> c.id())
                            .containsExactly("other", "greeter"); // newest first, as OTP lists them
                    assertThat(node.callAs("greeter", "Ada", String.class)).isEqualTo("Hello Ada");

                    Pid before = node.whereis("greeter");
                    try {
                        node.call("greeter", "crash");
                    } catch (RuntimeException expected) {
                        // the call fails with the crash; the supervisor restarts the greeter
                    }
                    Pid after = awaitRestart(node, "greeter", before);
                    assertThat(after).isNotEqualTo(before);
                    assertThat(node.callAs("greeter", "Bo", String.class)).isEqualTo("Hello Bo");
                });
        Node node = started.get();
        assertThat(node.awaitTermination(Duration.ofSeconds(10))).as("the node stopped with the context").isTrue();
    }

    @Test
    void theHealthIndicatorNamesTheNodeAndItsPeers() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0)) {
            runner.withPropertyValues("ergon.name=spring_h@localhost", "ergon.distributed=true",
                    "ergon.cookie=spring", "ergon.epmd-port=" + epmd.port(), "ergon.listen-address=127.0.0.1")
                    .run(context -> {
                        ErgonHealthIndicator health = context.getBean(ErgonHealthIndicator.class);
                        try (Node peer = Node.start("spring_peer@localhost", NodeOptions.defaults()
                                .distributed(true).cookie("spring").epmdPort(epmd.port())
                                .listenAddress(InetAddress.getLoopbackAddress()))) {
                            assertThat(peer.ping("spring_h@localhost")).isTrue();
                            Health h = health.health();
                            assertThat(h.getStatus()).isEqualTo(Status.UP);
                            assertThat(h.getDetails()).containsEntry("node", "spring_h@localhost")
                                    .containsEntry("distributed", true)
                                    .containsEntry("connectedNodes", List.of("spring_peer@localhost"));
                        }
                        context.getBean(ErgonRoot.class).stop();
                        assertThat(health.health().getStatus()).as("the root supervisor gone")
                                .isEqualTo(Status.DOWN);
                    });
        }
    }

    @Test
    void ergonEnabledFalseLeavesItOut() {
        runner.withPropertyValues("ergon.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(Node.class).doesNotHaveBean(ErgonRoot.class));
    }

    private static Pid awaitRestart(Node node, String name, Pid before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Pid now = node.whereis(name);
            if (now != null && !now.equals(before)) {
                return now;
            }
            Thread.sleep(5); // a poll interval, under the deadline above
        }
        throw new AssertionError(name + " was not restarted within 5 s");
    }
}
