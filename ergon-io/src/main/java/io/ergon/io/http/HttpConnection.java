package io.ergon.io.http;

import io.ergon.gen.GenServer;
import io.ergon.io.Active;
import io.ergon.io.IoError;
import io.ergon.io.internal.Demand;
import io.ergon.io.tcp.TcpClosed;
import io.ergon.io.tcp.TcpData;
import io.ergon.io.tcp.TcpSocket;
import io.ergon.node.Actor;
import io.ergon.node.Exit;
import io.ergon.node.Reasons;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The process of one HTTP connection: it reads a request only when it has answered the last one, answers it with
 * the server's handler, and after a WebSocket upgrade reads the client's frames only as far as its session process
 * asks ({@link WebSocket#setActive}), answering pings and the close handshake itself. It traps exits: a server's
 * shutdown reaches {@link #terminate} only after the request in hand is answered (the drain), and a session's exit
 * arrives as a message that closes the WebSocket.
 */
final class HttpConnection extends GenServer {
    private static final Atom CLOSE_TIMEOUT = Atom.of("close_timeout");
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final TcpSocket socket;
    private final HttpServerSpec spec;
    private final RequestReader requests;

    // the WebSocket, once upgraded
    private WebSocket session;
    private Pid sessionPid;
    private WebSocketFrames frames;
    private Demand demand;
    private ByteArrayOutputStream fragments;
    private int fragmentOpcode;
    private boolean closing;
    private boolean sessionTold;
    private boolean done;

    HttpConnection(TcpSocket socket, HttpServerSpec spec) {
        this.socket = socket;
        this.spec = spec;
        this.requests = new RequestReader(spec.maxHead(), spec.maxBody(), socket.remoteAddress());
    }

    @Override
    protected void init() {
        trapExit(true);
        socket.setActive(Active.once());
    }

    @Override
    protected void handleInfo(Object message) throws Exception {
        switch (message) {
            case TcpData d when frames == null -> onHttpBytes(d.data());
            case TcpData d -> {
                frames.append(d.data());
                pump();
            }
            case TcpClosed c -> {
                tellSession(1006, "");
                finish();
            }
            case WebSocket.SetActive(Active mode) when demand != null && !done -> {
                if (demand.set(mode)) {
                    send(sessionPid, new WebSocketPassive(session));
                }
                pump();
            }
            case WebSocket.CloseRequest(int code, String reason) when !closing && !done -> {
                closing = true;
                sendClose(code, reason);
                sendAfter(self(), CLOSE_TIMEOUT, CLOSE_WAIT);
                pump();
            }
            case Exit exit when exit.from().equals(sessionPid) && !done -> {
                sendClose(Reasons.isNormal(exit.reason()) ? 1000 : 1011, "");
                finish();
            }
            default -> {
                if (CLOSE_TIMEOUT.equals(message)) {
                    finish();
                }
            }
        }
    }

    @Override
    protected void terminate(Object reason) {
        if (session != null && !done) {
            sendClose(1001, "server stopping");
            tellSession(1001, "server stopping");
        }
        socket.close();
    }

    // ---- HTTP

    private void onHttpBytes(byte[] bytes) throws Exception {
        requests.append(bytes);
        while (!done) {
            HttpRequest request;
            try {
                request = requests.next();
            } catch (RequestReader.Refused refused) {
                respond(HttpResponse.text(refused.status, refused.getMessage() + "\n"), false, false);
                finish();
                return;
            }
            if (request == null) {
                socket.setActive(Active.once());
                return;
            }
            Function<WebSocket, ? extends Actor> sessionFactory = spec.webSockets().get(request.path());
            if (sessionFactory != null && isUpgrade(request)) {
                upgrade(request, sessionFactory);
                return;
            }
            HttpResponse response;
            try {
                response = spec.handler().handle(request);
            } catch (Exception e) {
                respond(HttpResponse.text(500, "internal server error\n"), false, false);
                done = true;
                throw e;
            }
            boolean keepAlive = request.keepAlive();
            respond(response, keepAlive, "HEAD".equals(request.method()));
            if (!keepAlive) {
                finish();
            }
        }
    }

    private static boolean isUpgrade(HttpRequest request) {
        String upgrade = request.header("upgrade");
        return "GET".equals(request.method()) && upgrade != null
                && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    private void respond(HttpResponse response, boolean keepAlive, boolean headOnly) {
        StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(StatusText.of(response.status())).append("\r\n");
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("content-length") && !name.equals("connection")) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
        }
        head.append("content-length: ").append(response.body().length).append("\r\nconnection: ")
                .append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = headOnly ? new byte[0] : response.body();
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        try {
            socket.send(all);
        } catch (IoError e) {
            finish();
        }
    }

    // ---- WebSocket

    private void upgrade(HttpRequest request, Function<WebSocket, ? extends Actor> sessionFactory) {
        String key = request.header("sec-websocket-key");
        if (key == null || !"13".equals(request.header("sec-websocket-version"))) {
            respond(HttpResponse.text(426, "WebSocket version 13 with a key expected\n")
                    .header("Sec-WebSocket-Version", "13"), false, false);
            finish();
            return;
        }
        socket.send(("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
                + "sec-websocket-accept: " + acceptKey(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        frames = new WebSocketFrames(spec.maxBody());
        frames.append(requests.remaining());
        demand = new Demand(spec.sessionMode());
        WebSocket ws = new WebSocket(node(), socket, self(), request);
        session = ws;
        try {
            sessionPid = spawnLink(() -> sessionFactory.apply(ws));
        } catch (RuntimeException e) {
            log().warn("{}: the session of {} did not start: {}", self(), ws, e.toString());
            sendClose(1011, "session did not start");
            finish();
            return;
        }
        pump();
    }

    static String acceptKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key.trim() + WEBSOCKET_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Takes the client's frames while the session wants messages (or a close is under way), else reads nothing. */
    private void pump() {
        while (!done) {
            if (!closing && !sessionWants()) {
                return;
            }
            WebSocketFrames.Frame frame;
            try {
                frame = frames.next();
            } catch (WebSocketFrames.Violation v) {
                violation(v.code, v.getMessage());
                return;
            }
            if (frame == null) {
                socket.setActive(Active.once());
                return;
            }
            onFrame(frame);
        }
    }

    private boolean sessionWants() {
        demand.lock();
        try {
            return demand.isActive();
        } finally {
            demand.unlock();
        }
    }

    private void onFrame(WebSocketFrames.Frame frame) {
        byte[] payload = frame.payload();
        switch (frame.opcode()) {
            case WebSocketFrames.PING -> sendFrame(WebSocketFrames.PONG, payload);
            case WebSocketFrames.PONG -> { }
            case WebSocketFrames.CLOSE -> {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                String reason = payload.length > 2
                        ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                if (!closing) {
                    sendClose(code == 1005 ? 1000 : code, "");
                }
                tellSession(code, reason);
                finish();
            }
            case WebSocketFrames.CONTINUATION -> {
                if (fragments == null) {
                    violation(1002, "a continuation without a message");
                    return;
                }
                fragments.writeBytes(payload);
                if (fragments.size() > spec.maxBody()) {
                    violation(1009, "a message over " + spec.maxBody() + " bytes");
                } else if (frame.fin()) {
                    byte[] whole = fragments.toByteArray();
                    fragments = null;
                    deliver(fragmentOpcode, whole);
                }
            }
            default -> {
                if (fragments != null) {
                    violation(1002, "a new message inside a fragmented one");
                } else if (frame.fin()) {
                    deliver(frame.opcode(), payload);
                } else {
                    fragments = new ByteArrayOutputStream();
                    fragments.writeBytes(payload);
                    fragmentOpcode = frame.opcode();
                }
            }
        }
    }

    private void deliver(int opcode, byte[] payload) {
        if (closing) {
            return;
        }
        Object message;
        if (opcode == WebSocketFrames.TEXT) {
            try {
                message = new WebSocketText(session, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(payload)).toString());
            } catch (CharacterCodingException e) {
                violation(1007, "a text message that is not UTF-8");
                return;
            }
        } else {
            message = new WebSocketBinary(session, payload);
        }
        send(sessionPid, message);
        demand.lock();
        try {
            if (demand.consume()) {
                send(sessionPid, new WebSocketPassive(session));
            }
        } finally {
            demand.unlock();
        }
    }

    private void violation(int code, String why) {
        sendClose(code, why);
        tellSession(code, why);
        finish();
    }

    private void sendClose(int code, String reason) {
        sendFrame(WebSocketFrames.CLOSE, WebSocketFrames.closePayload(code, reason));
    }

    private void sendFrame(int opcode, byte[] payload) {
        try {
            socket.send(WebSocketFrames.encode(opcode, payload));
        } catch (IoError e) {
            // the client is gone: its TcpClosed, or the finish under way, ends the connection
        }
    }

    private void tellSession(int code, String reason) {
        if (sessionPid != null && !sessionTold) {
            sessionTold = true;
            send(sessionPid, new WebSocketClosed(session, code, reason));
        }
    }

    private void finish() {
        done = true;
        socket.close();
        stop(Reasons.NORMAL);
    }
}
