package dev.deepscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An error after a response has started (a stream that fails mid-way, e.g. its page read) cannot become a
 * problem: the status and headers are sent and read-only. The error handler then ends the response as it is,
 * with the events already sent, instead of throwing (an UnsupportedOperationException from the read-only
 * headers broke hundreds of streams); before the response starts, the same error is still a problem. On a
 * real Reactor Netty server, as a committed response only is read-only there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartedResponseErrorsTest {

    @RestController
    static class Streams {

        @GetMapping(value = "/fails-midway", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<ServerSentEvent<String>> failsMidway() {
            return Flux.just("1", "2").map(id -> ServerSentEvent.builder("x").id(id).event("tick").build())
                    .concatWith(Flux.error(new DataAccessResourceFailureException("page read failed")));
        }

        @GetMapping(value = "/spring-error-midway", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<ServerSentEvent<String>> springErrorMidway() {
            return Flux.just(ServerSentEvent.builder("x").id("1").event("tick").build())
                    .concatWith(Flux.error(new ResponseStatusException(HttpStatus.CONFLICT)));
        }

        @GetMapping(value = "/fails-at-once", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<ServerSentEvent<String>> failsAtOnce() {
            return Flux.error(new DataAccessResourceFailureException("database away"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    @Import({Streams.class, ProblemResponses.class})
    static class App {
    }

    private AnnotationConfigApplicationContext context;
    private DisposableServer server;
    private WebTestClient http;

    @BeforeAll
    void start() {
        context = new AnnotationConfigApplicationContext(App.class);
        var handler = new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build());
        server = HttpServer.create().host("localhost").port(0).handle(handler).bindNow();
        http = WebTestClient.bindToServer().baseUrl("http://localhost:" + server.port()).build();
    }

    @AfterAll
    void stop() {
        server.disposeNow();
        context.close();
    }

    @Test
    void anErrorMidStreamEndsTheStreamCleanlyWithWhatWasSent() {
        for (String path : List.of("/fails-midway", "/spring-error-midway")) {
            List<String> data = http.get().uri(path).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                    .returnResult(String.class).getResponseBody()
                    .collectList().block(Duration.ofSeconds(5));
            assertThat(data).as(path).isNotEmpty().allMatch("x"::equals);
        }
    }

    @Test
    void theSameErrorBeforeTheResponseStartsIsAProblem() {
        http.get().uri("/fails-at-once").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Database unavailable");
    }
}
