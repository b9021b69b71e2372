package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.testkit.ErlangNode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pg with two real Erlang nodes and an Ergon one, all visible: Erlang's {@code pg} and Ergon's see the same members
 * after joins on every node, leaves, members' exits both ways and an Erlang node going down; an Ergon monitor hears
 * an Erlang join.
 */
class ErlangPgTest {
    private static final String COOKIE = "pg_mixed";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private EpmdServer epmd;
    private Node java;
    private ErlangNode e1;
    private ErlangNode e2;

    @BeforeEach
    void start() throws Exception {
        ErlangNode.assumeAvailable();
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
        java = Node.start("ergon_pg@localhost", NodeOptions.defaults().distributed(true).cookie(COOKIE)
                .epmdPort(epmd.port()).listenAddress(InetAddress.getLoopbackAddress()));
        e1 = ErlangNode.start("erl_pg1", COOKIE, epmd.port());
        e2 = ErlangNode.start("erl_pg2", COOKIE, epmd.port());
        String j = "'" + java.name().name() + "'";
        assertThat(e1.eval("{pong, pong} = {net_adm:ping(" + j + "), net_adm:ping('" + e2.name() + "')}, "
                + "net_adm:ping(" + j + ").")).isEqualTo("pong");
        assertThat(e2.eval("net_adm:ping(" + j + ").")).isEqualTo("pong");
        for (ErlangNode e : List.of(e1, e2)) {
            assertThat(e.eval("{ok, _} = pg:start(pg), ok.")).isEqualTo("ok");
        }
        Pg.startScope(java, Pg.DEFAULT_SCOPE);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {e1, e2, java, epmd}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // the next one still closes
            }
        }
    }

    /** The nodes of {@code group}'s members as {@code e} sees them, sorted, in Erlang syntax. */
    private static String erlangView(ErlangNode e, String group) {
        return e.eval("lists:sort([node(P) || P <- pg:get_members(" + group + ")]).");
    }

    private String ergonView(String group) {
        return Pg.of(java).members(Atom.of(group)).stream().map(p -> p.node().name()).sorted().toList().toString()
                .replace(", ", ",");
    }

    private void awaitAllSee(String group, String nodesSorted) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(erlangView(e1, group)).isEqualTo(nodesSorted);
            assertThat(erlangView(e2, group)).isEqualTo(nodesSorted);
            assertThat(ergonView(group)).isEqualTo(nodesSorted);
        });
    }

    private static String spawnMember(ErlangNode e, String group, String name) {
        return e.eval("P = spawn(fun() -> receive stop -> ok end end), register(" + name + ", P), "
                + "ok = pg:join(" + group + ", P), ok.");
    }

    @Test
    void everyNodeSeesTheSameMembersThroughJoinsLeavesExitsAndANodeDown() throws Exception {
        String all = "[ergon_pg@localhost,erl_pg1@localhost,erl_pg2@localhost,erl_pg2@localhost]";
        spawnMember(e1, "workers", "w1");
        spawnMember(e2, "workers", "w2a");
        spawnMember(e2, "workers", "w2b");
        try (Mailbox m = java.mailbox()) {
            Pg.of(java).join(Atom.of("workers"), m.pid());
            awaitAllSee("workers", all);

            assertThat(Pg.of(java).leave(Atom.of("workers"), m.pid())).isTrue();
            awaitAllSee("workers", "[erl_pg1@localhost,erl_pg2@localhost,erl_pg2@localhost]");
            Pg.of(java).join(Atom.of("workers"), m.pid());
            awaitAllSee("workers", all);
        }
        // the mailbox closed: its process exited, and Erlang's pg drops it
        awaitAllSee("workers", "[erl_pg1@localhost,erl_pg2@localhost,erl_pg2@localhost]");
        e1.eval("w1 ! stop, ok.");
        awaitAllSee("workers", "[erl_pg2@localhost,erl_pg2@localhost]");
        e2.kill(); // kill -9: its members must go, and must not come back with the node
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ergonView("workers")).isEqualTo("[]");
            assertThat(erlangView(e1, "workers")).isEqualTo("[]");
        });
        e2 = ErlangNode.start("erl_pg2", COOKIE, epmd.port());
        assertThat(e2.eval("pong = net_adm:ping('" + e1.name() + "'), net_adm:ping('" + java.name().name() + "')."))
                .isEqualTo("pong");
        assertThat(e2.eval("{ok, _} = pg:start(pg), ok.")).isEqualTo("ok");
        spawnMember(e2, "workers", "w2c");
        awaitAllSee("workers", "[erl_pg2@localhost]");
    }

    @Test
    void anErgonScopeStartedAfterTheErlangJoinsLearnsThemAndAMonitorHearsTheNext() throws Exception {
        spawnMember(e1, "late", "l1");
        Pg.of(java); // the default scope runs already; a second scope starts now, after Erlang's join
        assertThat(e1.eval("{ok, _} = pg:start(other_scope), P = spawn(fun() -> receive stop -> ok end end), "
                + "ok = pg:join(other_scope, g, P), ok.")).isEqualTo("ok");
        Pg.startScope(java, "other_scope");
        await().atMost(WAIT).until(() -> Pg.of(java, "other_scope").members(Atom.of("g")).size() == 1);
        await().atMost(WAIT).until(() -> Pg.of(java).members(Atom.of("late")).size() == 1);
        try (Mailbox watcher = java.mailbox()) {
            Pg.Monitored<List<Pid>> mon = Pg.of(java).monitor(watcher, Atom.of("late"));
            assertThat(mon.members()).hasSize(1);
            spawnMember(e2, "late", "l2");
            Pg.Change change = Pg.Change.of(watcher.receive(WAIT));
            assertThat(change).isNotNull();
            assertThat(change.ref()).isEqualTo(mon.ref());
            assertThat(change.joined()).isTrue();
            assertThat(change.pids()).singleElement().satisfies(p -> assertThat(p.node().name())
                    .isEqualTo(e2.name()));
        }
    }
}
