package io.ergon.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ergon.etf.RecordRegistry;
import io.ergon.gen.GenServer;
import io.ergon.node.CallException;
import io.ergon.node.From;
import io.ergon.node.Mailbox;
import io.ergon.node.Name;
import io.ergon.node.Node;
import io.ergon.node.NodeOptions;
import io.ergon.node.ReplyTypeException;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Tuple;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed calls (the reply converted to the caller's type, locally and across nodes) and null replies. */
class TypedCallTest {
    record Price(String item, int cents) {
    }

    /** A cache as users write it: {@code return map.get(key)}, null on a miss. */
    static final class Cache extends GenServer {
        private final Map<Object, Object> entries = new ConcurrentHashMap<>(Map.of("apple", 120L, "name", "Ada",
                "price", new Price("pear", 99), "pair", Tuple.of(1L, 2L), "big", 1L << 40));

        @Override
        protected Object handleCall(Object request, From from) {
            if (request instanceof Tuple t && t.get(0).equals(Atom.of("later"))) {
                Thread.ofVirtual().start(() -> from.reply(entries.get(t.get(1))));
                return noReply();
            }
            return entries.get(request instanceof Binary b ? b.utf8() : request);
        }
    }

    static EpmdServer epmd;
    static final RecordRegistry RECORDS = new RecordRegistry().register(Price.class);

    @BeforeAll
    static void epmd() throws Exception {
        epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stop() {
        epmd.close();
    }

    static NodeOptions opts() {
        return NodeOptions.defaults().distributed(true).cookie("typed").epmdPort(epmd.port())
                .listenAddress(InetAddress.getLoopbackAddress()).records(RECORDS);
    }

    @Test
    void aNullReplyIsUndefinedAndTheServerLivesOn() {
        try (Node node = Node.start("typed_null@localhost")) {
            Pid cache = node.spawn(Cache::new);
            Object miss = node.call(cache, "nothing here");
            assertThat(miss).isEqualTo(Atom.UNDEFINED);
            assertThat(node.callAs(cache, "nothing here", String.class)).isNull();
            assertThat(node.callAs(cache, Tuple.of(Atom.of("later"), "nothing"), String.class))
                    .as("From.reply(null), later and from another thread").isNull();
            assertThat(node.isAlive(cache)).as("a miss does not crash the cache").isTrue();
            assertThat(node.callAs(cache, "apple", Long.class)).isEqualTo(120L);
        }
    }

    @Test
    void aLocalReplyConvertsToTheTypeAskedFor() throws Exception {
        try (Node node = Node.start("typed_local@localhost", NodeOptions.defaults().records(RECORDS));
             Mailbox me = node.mailbox()) {
            Pid cache = node.spawn(Cache::new);
            assertThat(node.callAs(cache, "apple", Integer.class)).isEqualTo(120);
            assertThat(me.callAs(cache, "name", String.class)).isEqualTo("Ada");
            assertThat(me.callAs(cache, "price", Price.class, Duration.ofSeconds(5))).isEqualTo(new Price("pear", 99));
            assertThat(node.callAsync(cache, "apple", Integer.class).get(5, TimeUnit.SECONDS)).isEqualTo(120);
        }
    }

    @Test
    void aReplyThatDoesNotFitNamesTheReplyAndBothTypes() {
        try (Node node = Node.start("typed_wrong@localhost")) {
            Pid cache = node.spawn(Cache::new);
            assertThatThrownBy(() -> node.callAs(cache, "pair", String.class))
                    .isInstanceOfSatisfying(ReplyTypeException.class, e -> {
                        assertThat(e.reply()).isEqualTo(Tuple.of(1L, 2L));
                        assertThat(e.wanted()).isEqualTo(String.class);
                    })
                    .hasMessageContaining("{1,2}").hasMessageContaining("io.ergon.term.Tuple")
                    .hasMessageContaining("java.lang.String");
            assertThatThrownBy(() -> node.callAs(cache, "big", Integer.class))
                    .as("a Long that does not fit an Integer").isInstanceOf(ReplyTypeException.class)
                    .hasMessageContaining("1099511627776").hasMessageContaining("java.lang.Integer");
            assertThat(node.isAlive(cache)).as("the caller's type is the caller's problem").isTrue();
        }
    }

    @Test
    void anAsyncCallFailsAsTheBlockingOneWould() {
        try (Node node = Node.start("typed_async@localhost")) {
            Pid gone = node.spawn(Cache::new);
            node.exit(gone, Atom.of("kill"));
            assertThatThrownBy(() -> node.callAsync(gone, "apple", Long.class).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(CallException.class);
        }
    }

    /** Across nodes a String arrives as a Binary and an Integer as a Long: the typed call gives back the types. */
    @Test
    void acrossNodesTheTypedCallGivesTheSameTypesAsLocally() {
        try (Node server = Node.start("typed_srv@localhost", opts());
             Node client = Node.start("typed_cli@localhost", opts())) {
            server.spawnRegister("cache", Cache::new);
            Name cache = Name.of("cache", "typed_srv@localhost");
            assertThat((Object) client.call(cache, "name")).as("untyped: the wire's type").isInstanceOf(Binary.class);
            assertThat(client.callAs(cache, "name", String.class)).isEqualTo("Ada");
            assertThat(client.callAs(cache, "apple", Integer.class)).isEqualTo(120);
            assertThat(client.callAs(cache, "price", Price.class)).isEqualTo(new Price("pear", 99));
            assertThat((Object) client.call(cache, "missing")).isEqualTo(Atom.UNDEFINED);
            assertThat(client.callAs(cache, "missing", String.class)).isNull();
            assertThatThrownBy(() -> client.callAs(cache, "pair", Price.class))
                    .isInstanceOf(ReplyTypeException.class).hasMessageContaining(Price.class.getName());
        }
    }
}
