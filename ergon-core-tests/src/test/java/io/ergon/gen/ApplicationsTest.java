package io.ergon.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Actor;
import io.ergon.node.Node;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Loading, starting with dependencies, stopping, listing and the environment (OTP's application module). */
class ApplicationsTest {
    private final Node node = Node.start("applications_test@localhost");
    private final Events events = new Events(node);
    private final Applications apps = Applications.of(node);

    @AfterEach
    void stop() {
        node.close();
    }

    /** An application whose root supervisor runs two reporting workers, {@code name.1} and {@code name.2}. */
    private ApplicationSpec app(String name, String... dependencies) {
        return ApplicationSpec.of(name).description("the " + name + " application").version("1.0")
                .dependsOn(dependencies)
                .root(Supervisor.spec(Strategy.ONE_FOR_ONE).children(
                        TestChild.spec(name + ".1", events.pid()), TestChild.spec(name + ".2", events.pid())));
    }

    @Test
    void loadStartListReadAndStop() {
        apps.load(app("shop").env("port", 8080).env("currency", "EUR"));
        assertThat(apps.loaded()).extracting(ApplicationSpec::name).containsExactly("shop");
        assertThat(apps.env("shop", "port")).contains(8080);
        assertThat(apps.env("shop", "missing", "fallback")).isEqualTo("fallback");
        assertThat(apps.env("shop")).isEqualTo(Map.of("port", 8080, "currency", "EUR"));
        assertThat(apps.env("nope", "port")).isEmpty();

        assertThat(apps.start("shop")).containsExactly("shop");
        assertThat(events.lifecycle(2)).containsExactly("start shop.1", "start shop.2");
        assertThat(apps.running()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("shop");
            assertThat(a.description()).isEqualTo("the shop application");
            assertThat(a.version()).isEqualTo("1.0");
            assertThat(a.mode()).isEqualTo(ApplicationMode.TEMPORARY);
            assertThat(node.isAlive(a.root())).isTrue();
        });
        assertThat(node.whereis(Applications.CONTROLLER_NAME)).isNotNull();

        apps.setEnv("shop", "port", 9090);
        assertThat(apps.env("shop", "port", 0)).isEqualTo(9090);

        apps.stop("shop");
        assertThat(events.lifecycle(2)).containsExactly("stop shop.2", "stop shop.1");
        assertThat(apps.running()).isEmpty();
        assertThat(apps.isRunning("shop")).isFalse();
        assertThat(apps.env("shop", "port")).contains(9090); // still loaded
    }

    @Test
    void startingStartsTheDependenciesFirst() {
        apps.load(app("db"));
        apps.load(app("cache", "db"));
        apps.load(app("shop", "db", "cache"));

        assertThat(apps.start("shop", ApplicationMode.PERMANENT)).containsExactly("db", "cache", "shop");

        assertThat(events.lifecycle(6)).containsExactly("start db.1", "start db.2", "start cache.1", "start cache.2",
                "start shop.1", "start shop.2");
        assertThat(apps.running()).extracting(RunningApplication::name).containsExactly("shop", "cache", "db");
        assertThat(apps.running()).allMatch(a -> a.mode() == ApplicationMode.PERMANENT);
    }

    @Test
    void anApplicationWithAMissingDependencyIsRefusedBeforeAnythingStarts() {
        apps.load(app("db"));
        apps.load(app("shop", "db", "payments"));

        assertThatThrownBy(() -> apps.start("shop")).isInstanceOfSatisfying(ApplicationException.class, e -> {
            assertThat(e.reason()).isEqualTo(Tuple.of(Atom.of("not_loaded"), Atom.of("payments")));
            assertThat(e.getMessage()).isEqualTo(
                    "cannot start 'shop': application 'shop' depends on 'payments', which is not loaded");
        });
        assertThat(apps.running()).isEmpty();
        events.expectNoLifecycle(Duration.ofMillis(100));
        assertThatThrownBy(() -> apps.start("ghost")).isInstanceOfSatisfying(ApplicationException.class,
                e -> assertThat(e.reason()).isEqualTo(Tuple.of(Atom.of("not_loaded"), Atom.of("ghost"))));
    }

    @Test
    void circularDependenciesAreRefused() {
        apps.load(app("a", "b"));
        apps.load(app("b", "c"));
        apps.load(app("c", "a"));
        assertThatThrownBy(() -> apps.start("a")).isInstanceOfSatisfying(ApplicationException.class, e -> {
            assertThat(e.reason()).isEqualTo(Tuple.of(Atom.of("circular_dependencies"),
                    List.of(Atom.of("a"), Atom.of("b"), Atom.of("c"), Atom.of("a"))));
            assertThat(e.getMessage()).contains("a -> b -> c -> a");
        });
    }

    @Test
    void startTwiceIsRefusedButEnsureStartedIsNot() {
        apps.load(app("db"));
        apps.load(app("shop", "db"));
        apps.start("db");
        assertThat(apps.ensureStarted("shop", ApplicationMode.TEMPORARY)).containsExactly("shop");
        assertThatThrownBy(() -> apps.start("shop")).isInstanceOfSatisfying(ApplicationException.class,
                e -> assertThat(e.reason()).isEqualTo(Tuple.of(Atom.of("already_started"), Atom.of("shop"))));
        assertThat(apps.ensureStarted("shop", ApplicationMode.TEMPORARY)).isEmpty();
    }

    @Test
    void aRootThatFailsToStartFailsTheStartAndStopsTheDependenciesThisCallStarted() {
        apps.load(app("db"));
        apps.load(ApplicationSpec.of("shop").dependsOn("db").root(Supervisor.spec(Strategy.ONE_FOR_ONE)
                .child(ChildSpec.worker("http", () -> new Actor() {
                    @Override
                    protected void init() {
                        throw new IllegalStateException("port 80 is taken");
                    }
                }))));
        assertThatThrownBy(() -> apps.start("shop")).isInstanceOfSatisfying(ApplicationException.class, e -> {
            Tuple reason = (Tuple) e.reason();
            assertThat(reason.get(0)).isEqualTo(Atom.of("shop"));
            assertThat(((Tuple) reason.get(1)).get(0)).isEqualTo(Reasons.SHUTDOWN);
            assertThat(e.getMessage()).contains("application 'shop' did not start", "failed_to_start_child", "http");
        });
        assertThat(events.lifecycle(4)).containsExactly("start db.1", "start db.2", "stop db.2", "stop db.1");
        assertThat(apps.running()).isEmpty();
        assertThat(node.isShuttingDown()).isFalse(); // temporary: the node carries on
    }

    @Test
    void unloadOnlyWhatDoesNotRun() {
        apps.load(app("db"));
        assertThatThrownBy(() -> apps.load(app("db"))).isInstanceOfSatisfying(ApplicationException.class,
                e -> assertThat(e.reason()).isEqualTo(Tuple.of(Atom.of("already_loaded"), Atom.of("db"))));
        apps.start("db");
        assertThatThrownBy(() -> apps.unload("db")).isInstanceOfSatisfying(ApplicationException.class,
                e -> assertThat(e.reason()).isEqualTo(Tuple.of(Atom.of("running"), Atom.of("db"))));
        apps.stop("db");
        apps.unload("db");
        assertThat(apps.loaded()).isEmpty();
        assertThat(apps.env("db")).isEmpty();
        assertThatThrownBy(() -> apps.stop("db")).isInstanceOfSatisfying(ApplicationException.class,
                e -> assertThat(e.reason()).isEqualTo(Tuple.of(Atom.of("not_started"), Atom.of("db"))));
    }

    @Test
    void aLibraryApplicationHasNoProcess() {
        apps.load(ApplicationSpec.of("util").version("2.0").env("precision", 4));
        apps.load(app("shop", "util"));
        assertThat(apps.start("shop")).containsExactly("util", "shop");
        assertThat(apps.running()).filteredOn(a -> a.name().equals("util")).singleElement()
                .satisfies(a -> assertThat(a.root()).isNull());
        apps.stop("util");
        assertThat(apps.running()).extracting(RunningApplication::name).containsExactly("shop");
    }

    @Test
    void aPlainProcessCanBeTheRoot() {
        apps.load(ApplicationSpec.of("ticker").root(() -> new TestChild("ticker", events.pid())));
        apps.start("ticker");
        events.started("ticker");
        apps.stop("ticker");
        assertThat(events.stopped("ticker").reason()).isEqualTo(Reasons.SHUTDOWN);
    }

    @Test
    void anActorCanUseTheApplications() {
        apps.load(app("db").env("url", "jdbc:h2:mem"));
        Pid actor = node.spawn(() -> new Actor() {
            @Override
            protected void handleMessage(Object message) {
                Applications mine = Applications.of(node());
                mine.start("db");
                send(events.pid(), mine.env("db", "url").orElseThrow());
            }
        });
        node.send(actor, "go");
        assertThat(events.expect(String.class)).isEqualTo("jdbc:h2:mem");
        await().atMost(Events.WAIT).until(() -> apps.isRunning("db"));
    }
}
