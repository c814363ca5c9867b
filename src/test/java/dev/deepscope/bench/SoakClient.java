package dev.deepscope.bench;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * One client address of the soak: every socket it opens is bound to {@code address} (a loopback address
 * 127.0.0.x; Linux routes all of 127/8 to lo), so the app sees a different peer per client, as it would
 * on the internet. Reactor Netty's HttpClient, because java.net.http cannot bind a local address.
 * Calls block the calling worker thread; every answer is counted in the shared {@link SoakTally}.
 */
final class SoakClient implements AutoCloseable {

    /** The {@code deepscope_session} cookie a worker sends: none, or the one the server issued it. */
    static final class Session {
        private final boolean keeps;
        private volatile String cookie;

        /** {@code keeps} false: a client that never sends a cookie (each request a new session). */
        Session(boolean keeps) {
            this.keeps = keeps;
        }

        String cookie() {
            return cookie;
        }

        boolean hasCookie() {
            return keeps;
        }

        void offer(List<String> setCookies) {
            if (!keeps || cookie != null) {
                return;
            }
            for (String header : setCookies) {
                Matcher m = SESSION_COOKIE.matcher(header);
                if (m.find()) {
                    cookie = m.group(1);
                }
            }
        }
    }

    record Reply(int status, String body, long retryAfterSeconds) {
    }

    /** How a stream went: its status, the events read, the last event's name, and how it ended. */
    record StreamRead(int status, int events, long chars, String last, boolean ended, boolean left) {
    }

    private static final Pattern SESSION_COOKIE = Pattern.compile("deepscope_session=([^;]*)");
    private static final Set<String> TERMINAL = Set.of("done", "error", "cancelled");
    private static final Duration REPLY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(5);

    final String address;
    private final SoakTally tally;
    private final ConnectionProvider pool;
    private final HttpClient http;

    SoakClient(String base, String address, SoakTally tally) {
        this.address = address;
        this.tally = tally;
        // idle connections are dropped before a server's idle timeout could close them under a request
        this.pool = ConnectionProvider.builder("soak-" + address).maxConnections(64).pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(4)).evictInBackground(Duration.ofSeconds(2)).build();
        InetSocketAddress local = new InetSocketAddress(address, 0);
        this.http = HttpClient.create(pool).baseUrl(base).bindAddress(() -> local)
                .responseTimeout(Duration.ofSeconds(90))
                .observe((connection, state) -> {
                    if (state != ConnectionObserver.State.CONNECTED) {
                        return;   // a pooled socket acquired again, not a new one
                    }
                    tally.connections.incrementAndGet();
                    InetSocketAddress bound = (InetSocketAddress) connection.channel().localAddress();
                    if (!bound.getAddress().getHostAddress().equals(address)) {
                        tally.wrongLocalAddress.incrementAndGet();
                    }
                });
    }

    Reply get(String label, String path, Session session) {
        return send(label, HttpMethod.GET, path, null, session);
    }

    Reply post(String label, String path, String json, Session session) {
        return send(label, HttpMethod.POST, path, json, session);
    }

    Reply delete(String label, String path, Session session) {
        return send(label, HttpMethod.DELETE, path, null, session);
    }

    private HttpClient as(Session session, boolean json) {
        return http.headers(h -> {
            if (json) {
                h.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            }
            if (session.cookie() != null) {
                h.set(HttpHeaderNames.COOKIE, "deepscope_session=" + session.cookie());
            }
        });
    }

    private Reply send(String label, HttpMethod method, String path, String json, Session session) {
        HttpClient.RequestSender request = as(session, json != null).request(method).uri(path);
        HttpClient.ResponseReceiver<?> receiver = json == null ? request
                : request.send(ByteBufFlux.fromString(Mono.just(json)));
        Reply reply;
        try {
            reply = receiver.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
                    .defaultIfEmpty("")
                    .map(text -> {
                        session.offer(response.responseHeaders().getAll(HttpHeaderNames.SET_COOKIE));
                        String retry = response.responseHeaders().get(HttpHeaderNames.RETRY_AFTER);
                        return new Reply(response.status().code(), text, retry == null ? 0 : parseSeconds(retry));
                    })).block(REPLY_TIMEOUT);
        } catch (RuntimeException e) {
            reply = new Reply(0, String.valueOf(e), 0);
        }
        tally.answer(label, address, reply.status(), reply.body());
        return reply;
    }

    /**
     * Reads a server-sent event stream until it ends, or leaves (disconnects) after {@code leaveAfter}
     * events if that is positive and the stream has not ended by then. An ended stream closed after a
     * {@code done}, {@code error} or {@code cancelled} event; one that closed without is broken.
     */
    StreamRead stream(String label, String path, Session session, int leaveAfter) {
        Events events = new Events();
        int[] status = {0};
        StringBuilder problem = new StringBuilder();
        try {
            as(session, false).get().uri(path).response((response, body) -> {
                        status[0] = response.status().code();
                        session.offer(response.responseHeaders().getAll(HttpHeaderNames.SET_COOKIE));
                        return body.asString(StandardCharsets.UTF_8);
                    })
                    .doOnNext(chunk -> {
                        if (status[0] == 200) {
                            events.feed(chunk);
                        } else if (problem.length() < 1000) {
                            problem.append(chunk);
                        }
                    })
                    .takeUntil(chunk -> leaveAfter > 0 && !events.ended && events.count >= leaveAfter)
                    .blockLast(STREAM_TIMEOUT);
        } catch (RuntimeException e) {
            problem.append(e);
            status[0] = status[0] == 200 ? 200 : 0;
        }
        boolean left = !events.ended && leaveAfter > 0 && events.count >= leaveAfter;
        tally.answer(label, address, status[0], problem.toString());
        if (status[0] == 200) {
            if (events.ended) {
                tally.streamsEnded.incrementAndGet();
            } else if (left) {
                tally.streamsLeft.incrementAndGet();
            } else {
                tally.broken(label + " after " + events.count + " events (last " + events.last + ") " + problem);
            }
        }
        return new StreamRead(status[0], events.count, events.chars, events.last, events.ended, left);
    }

    /** Counts SSE events across chunks (a line may be split between two chunks). */
    private static final class Events {
        private final StringBuilder partial = new StringBuilder();
        int count;
        long chars;
        String last;
        boolean ended;

        void feed(String chunk) {
            chars += chunk.length();
            partial.append(chunk);
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, newline);
                partial.delete(0, newline + 1);
                if (line.startsWith("event:")) {
                    count++;
                    last = line.substring(6).trim();
                    ended |= TERMINAL.contains(last);
                }
            }
        }
    }

    private static long parseSeconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** A string field of a JSON object, or null (enough for ids and reasons; no escapes in them). */
    static String field(String json, String name) {
        if (json == null) {
            return null;
        }
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
