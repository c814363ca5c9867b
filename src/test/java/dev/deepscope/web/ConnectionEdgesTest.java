package dev.deepscope.web;

import static dev.deepscope.Browsers.startRun;
import static dev.deepscope.Browsers.ticker;
import static dev.deepscope.Browsers.withSession;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What reaches the server but never the application, over raw sockets: requests Netty or the web layer refuse
 * still answer problem+json, and a request head that stops half-way is cut after the header timeout (2 s in
 * tests), while a healthy stream that lasts longer is not.
 */
@DeepScopeTest
class ConnectionEdgesTest {

    @LocalServerPort
    int port;

    WebTestClient http;

    /** A busy machine may take more than the default 5 s to start a response. */
    @Autowired
    void client(WebTestClient http) {
        this.http = http.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aBadPathEscapeIs400ProblemJson() throws IOException {
        assertProblem(send("GET /api/runs/%zz/events HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400, "request");
    }

    @Test
    void aLongUrlIs414ProblemJson() throws IOException {
        assertProblem(send("GET /api/runs/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414, "uri");
    }

    @Test
    void bigHeadersAre431ProblemJson() throws IOException {
        assertProblem(send("GET /api/history HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(40_000)
                + "\r\n\r\n"), 431, "headers");
    }

    @Test
    void aHeadRequestRefusedStillHasNoBody() throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("HEAD /api/runs/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                assertThat(b).as("response head ended early: " + head).isNotEqualTo(-1);
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 400");
            socket.setSoTimeout(500);
            int more;
            try {
                more = in.read();
            } catch (java.net.SocketTimeoutException e) {
                more = -1;
            }
            assertThat(more).as("a byte of body after a HEAD response").isEqualTo(-1);
        }
    }

    @Test
    void halfARequestLineIsCutAfterTheHeaderTimeout() throws Exception {
        List<CompletableFuture<Long>> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket socket = new Socket("localhost", port);
            socket.setSoTimeout(30_000);
            long start = System.nanoTime();
            socket.getOutputStream().write("GET /api/hist".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            held.add(CompletableFuture.supplyAsync(() -> {
                try (socket; InputStream in = socket.getInputStream()) {
                    while (in.read() != -1) {
                        // the server may say something before it closes; only the close counts
                    }
                } catch (IOException e) {
                    // a reset is a close too
                }
                return (System.nanoTime() - start) / 1_000_000;
            }));
        }
        for (CompletableFuture<Long> millis : held) {
            assertThat(millis.get()).isBetween(1_500L, 6_000L);
        }
    }

    /** A body that stops half-way (test body timeout 2 s) must not hold its connection, nor a graceful stop. */
    @Test
    void aBodyThatStopsArrivingIsCutAfterTheBodyTimeout() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            long start = System.nanoTime();
            socket.getOutputStream().write(("POST /api/text/score HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\":\"a")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            try (InputStream in = socket.getInputStream()) {
                for (int b; (b = in.read()) != -1; ) {
                    said.write(b);
                }
            } catch (IOException e) {
                // a reset is a close too
            }
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms the half-sent body held its connection")
                    .isBetween(1_500L, 12_000L);
            assertProblem(said.toString(StandardCharsets.UTF_8), 408, "body");   // the client's doing, not a 500
        }
    }

    @Test
    void aStreamLongerThanTheHeaderTimeoutIsNotCut() {
        WebTestClient me = withSession(http);
        JsonNode run = startRun(me, "ticker", ticker(30, 100));
        List<String> events = me.get().uri("/api/runs/{id}/events", run.path("id").asString())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody().collectList().block(Duration.ofSeconds(30));
        assertThat(events).hasSize(31);
    }

    private void assertProblem(String response, int status, String field) {
        assertThat(response).startsWith("HTTP/1.1 " + status);
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).contains("content-type: application/problem+json");
        JsonNode problem = json.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("field").asString()).isEqualTo(field);
        assertThat(problem.path("title").asString()).isNotBlank();
    }

    /** Sends raw bytes and reads the answer until the server closes or the declared body is complete. */
    private String send(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
                String sofar = out.toString(StandardCharsets.UTF_8);
                int end = sofar.indexOf("\r\n\r\n");
                if (end >= 0) {
                    java.util.regex.Matcher length = java.util.regex.Pattern
                            .compile("(?i)content-length: *(\\d+)").matcher(sofar.substring(0, end));
                    if (length.find() && sofar.length() - end - 4 >= Integer.parseInt(length.group(1))) {
                        break;
                    }
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
