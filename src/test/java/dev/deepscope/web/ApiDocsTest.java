package dev.deepscope.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deepscope.DeepScopeTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAPI document at /api-docs: every /api/** route the app maps is in it, with its bounds and its errors. */
@DeepScopeTest
class ApiDocsTest {

    @Autowired
    WebTestClient http;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    JsonMapper json;

    JsonNode docs;

    @BeforeEach
    void readTheDocument() throws Exception {
        byte[] body = http.get().uri("/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody();
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "api-docs.json"), body);   // for a person to read
        docs = json.readTree(body);
    }

    @Test
    void everyApiRouteOfTheAppIsDocumented() {
        List<String> routes = new ArrayList<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternsCondition().getPatterns().stream()
                .map(Object::toString)
                .filter(path -> path.startsWith("/api/"))
                .forEach(path -> {
                    assertThat(info.getMethodsCondition().getMethods()).as(path + " names its methods").isNotEmpty();
                    info.getMethodsCondition().getMethods().forEach(m -> routes.add(m.name() + " " + path));
                }));
        assertThat(routes).as("the app's /api routes").hasSizeGreaterThan(20);
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
            String path = route.substring(route.indexOf(' ') + 1);
            JsonNode operation = docs.path("paths").path(path).path(method);
            assertThat(operation.isObject()).as(route + " is in the document").isTrue();
            assertThat(operation.path("responses").size()).as(route + " has responses").isPositive();
        }
        assertThat(docs.path("paths").propertyNames()).as("only /api/** is documented").allMatch(p -> p.startsWith("/api/"));
    }

    @Test
    void paramsCarryTheBoundsTheirValidationEnforces() {
        JsonNode schemas = docs.path("components").path("schemas");
        JsonNode train = schemas.path("TrainParams").path("properties");
        assertThat(train.path("steps").path("maximum").asInt()).isEqualTo(20_000);
        assertThat(train.path("learningRate").path("maximum").asDouble()).isEqualTo(10);
        assertThat(train.path("learningRate").path("exclusiveMinimum").asBoolean()).as("η > 0").isTrue();
        assertThat(schemas.path("TrainParams").path("required").toString()).contains("steps", "seed", "learningRate");
        JsonNode generate = schemas.path("GenerateParams").path("properties");
        assertThat(generate.path("temperature").path("maximum").asDouble()).isEqualTo(5);
        assertThat(generate.path("topK").path("minimum").asInt()).isZero();
        assertThat(generate.path("prompt").path("maxLength").asInt()).isEqualTo(2000);
        JsonNode inside = schemas.path("InsideRequest");
        assertThat(inside.path("properties").path("text").path("maxLength").asInt()).isEqualTo(2000);
        assertThat(inside.path("required").toString()).contains("text", "layer", "head");
        assertThat(schemas.path("NextRequest").path("properties").path("ablate").path("maxItems").asInt()).isEqualTo(40);
        JsonNode pixels = schemas.path("DigitInput").path("properties").path("pixels");
        assertThat(pixels.path("minItems").asInt()).isEqualTo(784);
        assertThat(pixels.path("maxItems").asInt()).isEqualTo(784);
        assertThat(pixels.path("items").path("maximum").asInt()).isEqualTo(1);
        JsonNode ablate = schemas.path("DigitInput").path("properties").path("ablate");
        assertThat(ablate.path("maxItems").asInt()).isEqualTo(256);
        assertThat(schemas.path("DigitAblation").path("required").toString()).contains("layer", "neuron");
        assertThat(schemas.path("DigitAblation").path("properties").path("value").path("maximum").asInt()).isEqualTo(100);
        assertThat(docs.path("paths").path("/api/digits/classify").path("post").path("responses").path("400")
                .path("description").asString()).contains("ablate[i].neuron");
        assertThat(schemas.path("DiffusionParams").path("properties").path("sampler").path("enum").toString())
                .contains("ddpm", "ddim");
        JsonNode speed = parameter(docs.path("paths").path("/api/runs/{id}/events").path("get"), "speed");
        assertThat(speed.path("schema").path("type").asString()).isEqualTo("number");
        assertThat(speed.path("schema").path("maximum").asInt()).isEqualTo(100);
        // a run's params are documented per kind
        assertThat(schemas.path("RunRequest").path("properties").path("kind").path("enum").toString())
                .contains("classify", "train", "generate", "diffuse");
        assertThat(schemas.path("RunRequest").path("properties").path("params").path("oneOf").toString())
                .contains("TrainParams", "GenerateParams", "DiffusionParams", "DigitInput");
    }

    @Test
    void errorsAreProblemsAndA429SaysWhenToComeBack() {
        JsonNode problem = docs.path("components").path("schemas").path(ApiDocs.PROBLEM).path("properties");
        assertThat(problem.has("field")).isTrue();
        assertThat(problem.path("reason").path("enum").toString()).contains("rate-limit", "server-busy", "viewers");
        JsonNode responses = docs.path("paths").path("/api/runs").path("post").path("responses");
        assertThat(responses.propertyNames()).contains("201", "400", "403", "413", "415", "429");
        JsonNode refused = responses.path("429");
        assertThat(refused.path("headers").has(HttpHeaders.RETRY_AFTER)).isTrue();
        assertThat(refused.path("content").path("application/problem+json").path("schema").path("$ref").asString())
                .isEqualTo("#/components/schemas/" + ApiDocs.PROBLEM);
        assertThat(refused.path("content").path("application/problem+json").path("example").path("reason").asString())
                .isEqualTo("rate-limit");
        JsonNode events = docs.path("paths").path("/api/runs/{id}/events").path("get").path("responses");
        assertThat(events.propertyNames()).contains("200", "404", "410", "429");
        assertThat(events.path("200").path("content").has(MediaType.TEXT_EVENT_STREAM_VALUE)).isTrue();
        assertThat(events.path("200").path("description").asString()).contains("done", "token", "layer", "step");
        assertThat(events.path("429").path("headers").has(HttpHeaders.RETRY_AFTER)).isTrue();
        assertThat(docs.path("paths").path("/api/system").path("get").path("responses").has("429"))
                .as("a GET that only reads meets no rate limit").isFalse();
    }

    @Test
    void theUiIsServedFromTheJarUnderOurContentSecurityPolicy() {
        String ui = http.get().uri("/api-docs/ui").exchange()
                .expectStatus().is3xxRedirection()
                .returnResult(String.class).getResponseHeaders().getLocation().toString();
        http.get().uri(ui).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Content-Security-Policy", SecurityConfiguration.CONTENT_SECURITY_POLICY)
                .expectBody(String.class).value(html -> assertThat(html).contains("swagger-ui-bundle.js"));
        http.get().uri("/api-docs/swagger-config").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.url").isEqualTo("/api-docs");
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode p : operation.path("parameters")) {
            if (p.path("name").asString().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + operation);
    }
}
