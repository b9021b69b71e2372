package io.ergon.examples;

import io.ergon.gen.ChildSpec;
import io.ergon.gen.GenServer;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.io.Active;
import io.ergon.io.http.HttpResponse;
import io.ergon.io.http.HttpServer;
import io.ergon.io.http.HttpServerSpec;
import io.ergon.io.http.WebSocket;
import io.ergon.io.http.WebSocketClosed;
import io.ergon.io.http.WebSocketText;
import io.ergon.node.Down;
import io.ergon.node.From;
import io.ergon.node.Node;
import io.ergon.net.Pg;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket chat where everything is a process: each browser's session is a process (supervised with its
 * connection by the HTTP server), and each room is a supervised process that keeps its members (monitored, so a
 * closed tab leaves the room) and sends every line said to all of them. A session says {@code join ROOM} first,
 * then every text it sends is said in that room; it takes one message at a time from its client
 * ({@code Active.once()}), so a flooding client is held back by TCP, not queued.
 *
 * <p>Other nodes of the cluster, Erlang and Elixir ones included, listen in through OTP's {@code pg}: a room also
 * sends every line, as {@code {chat_line, <<"lobby">>, <<"Text">>}}, to the members of the group
 * {@code {chat, <<"lobby">>}} in the default scope, wherever they run. From Erlang:
 * {@code pg:join({chat, <<"lobby">>}, self())}, then receive.
 */
public final class Chat {
    /** The rooms there are. */
    public static final List<String> ROOMS = List.of("lobby", "devices");

    private Chat() {
    }

    /**
     * The chat's supervision tree: the default {@code pg} scope (for listeners on other nodes), a process per room,
     * and the HTTP server on {@code port} (0: any free one).
     */
    public static Pid start(Node node, int port) {
        var spec = Supervisor.spec(Strategy.ONE_FOR_ONE).child(Pg.childSpec(Pg.DEFAULT_SCOPE));
        for (String room : ROOMS) {
            spec = spec.child(ChildSpec.worker("room_" + room, () -> new Room(room)).register(roomName(room)));
        }
        return Supervisor.start(node, "chat", spec.child(HttpServer.childSpec(HttpServerSpec.of("chat_http", port,
                request -> HttpResponse.of(200, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8)))
                .webSocket("/chat", Session::new))));
    }

    /** The port the chat listens on. */
    public static int port(Node node) {
        return HttpServer.port(node, "chat_http");
    }

    static String roomName(String room) {
        return "chat_room_" + room;
    }

    /** The {@code pg} group whose members hear every line said in {@code room}: {@code {chat, <<"room">>}}. */
    public static Tuple listeners(String room) {
        return Tuple.of(CHAT, Binary.of(room));
    }

    private static final Atom CHAT = Atom.of("chat");
    private static final Atom CHAT_LINE = Atom.of("chat_line");

    record Join(Pid member) {
    }

    record Say(String line) {
    }

    record Line(String text) {
    }

    /** A room: its members, monitored, and every line said to all of them and to its listeners in {@code pg}. */
    static final class Room extends GenServer {
        private final Map<Ref, Pid> members = new HashMap<>();
        private final String name;
        private final Tuple listeners;
        private Pg pg;

        Room(String name) {
            this.name = name;
            this.listeners = listeners(name);
        }

        @Override
        protected void init() {
            pg = Pg.of(node());
        }

        @Override
        protected Object handleCall(Object request, From from) {
            if (request instanceof Join(Pid member)) {
                members.put(monitor(member), member);
                return members.size();
            }
            throw new IllegalArgumentException("unknown request " + request);
        }

        @Override
        protected void handleCast(Object message) {
            if (message instanceof Say(String line)) {
                members.values().forEach(m -> send(m, new Line(line)));
                List<Pid> heard = pg.members(listeners);
                if (!heard.isEmpty()) {
                    Tuple said = Tuple.of(CHAT_LINE, Binary.of(name), Binary.of(line));
                    heard.forEach(listener -> send(listener, said));
                }
            }
        }

        @Override
        protected void handleInfo(Object message) {
            if (message instanceof Down down) {
                members.remove(down.ref());
            }
        }
    }

    /** One browser's session. */
    static final class Session extends GenServer {
        private final WebSocket ws;
        private String room;

        Session(WebSocket ws) {
            this.ws = ws;
        }

        @Override
        protected void handleInfo(Object message) {
            switch (message) {
                case WebSocketText t when room == null -> {
                    String wanted = t.text().startsWith("join ") ? t.text().substring(5).trim() : "";
                    if (ROOMS.contains(wanted)) {
                        room = wanted;
                        int members = call(roomName(room), new Join(self()));
                        ws.sendText("joined " + room + " (" + members + " here)");
                    } else {
                        ws.sendText("say 'join ROOM' first; rooms: " + ROOMS);
                    }
                    ws.setActive(Active.once());
                }
                case WebSocketText t -> {
                    cast(roomName(room), new Say(ws.request().peer().getPort() + ": " + t.text()));
                    ws.setActive(Active.once());
                }
                case Line(String text) -> ws.sendText(text);
                case WebSocketClosed c -> stop(Reasons.NORMAL);
                default -> { }
            }
        }
    }

    private static final String PAGE = """
            <!doctype html><html><body><h1>Ergon chat</h1><pre id="log"></pre>
            <input id="line" placeholder="join lobby"><script>
            const ws = new WebSocket("ws://" + location.host + "/chat"), log = document.getElementById("log");
            ws.onmessage = (e) => log.textContent += e.data + "\\n";
            document.getElementById("line").onkeydown = (e) => {
              if (e.key === "Enter") { ws.send(e.target.value); e.target.value = ""; } };
            </script></body></html>
            """;
}
