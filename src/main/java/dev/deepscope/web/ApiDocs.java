package dev.deepscope.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document of {@code /api/**} ({@code /api-docs}, its UI at {@code /api-docs/ui}; springdoc builds it
 * from the controllers, their {@code @Operation}s and the {@code @Schema}s on the params records). What every
 * operation shares is added here once rather than on each method: the one error format ({@link ProblemResponses},
 * the {@value #PROBLEM} schema with {@code field} and {@code reason}), the refusals of the filters in this package
 * ({@link SameOriginApi} 403, {@link RateLimits} 429 with Retry-After) and of the body codecs (413, 415).
 * A controller declares only the errors of its own (e.g. 404 for an unknown id) by status and description; their
 * body and the Retry-After of every 429 and 503 are filled in here.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

    /** The component name of the problem+json body. */
    static final String PROBLEM = "Problem";

    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    static {
        // Jackson 3's JsonNode (a run's params and result, a model's metrics) is any JSON object, not a bean to introspect; an event
        // stream's buffers are text
        SpringDocUtils.getConfig()
                .replaceWithSchema(JsonNode.class, new ObjectSchema().description("JSON"))
                .replaceWithSchema(DataBuffer.class, new StringSchema());
    }

    /** What each error looks like, as the UI shows it (the schema alone would show every member at once). */
    private static final Map<String, Map<String, Object>> EXAMPLES = Map.of(
            "400", example(400, "Invalid input", "steps must be 1..20000, not 0", "field", "steps"),
            "403", example(403, "Cross-origin request refused", "The DeepScope API answers only its own pages.",
                    "field", "Origin"),
            "404", example(404, "Not found", "No run has the id 4kq2x9.", "field", "id"),
            "410", example(410, "Gone", "The run 4kq2x9 expired on 30 Nov 2026: runs are kept 30 days after they "
                    + "were last opened, and this one was last opened on 31 Oct 2026.", "field", "id",
                    "reason", "age", "expiredAt", "2026-11-30T12:00:00Z"),
            "413", example(413, "Request too large", "The request body is larger than this server accepts.",
                    "field", "body"),
            "415", example(415, "Unsupported Media Type", "must be [application/json], not text/plain.",
                    "field", "Content-Type"),
            "429", example(429, "Rate limit reached", "You are going faster than this server allows one caller (60 "
                    + "requests that start work per browser session in 10 s); ready again in 3 s.", "reason",
                    "rate-limit", "limit", "60 requests that start work per browser session in 10 s"),
            "429 viewers", example(429, "Too many streams", "Your address has 100 event streams open, as many "
                    + "as one address may; try again in 1 s.", "reason", "viewers"),
            "503", example(503, "Database unavailable", "The history database cannot be reached right now; try "
                    + "again in a few seconds."));

    private static Map<String, Object> example(int status, String title, String detail, String... members) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        for (int i = 0; i + 1 < members.length; i += 2) {
            problem.put(members[i], members[i + 1]);
        }
        return problem;
    }

    @Bean
    OpenAPI deepScopeApi() {
        return new OpenAPI().info(new Info().title("DeepScope API").version("1")
                .description("Real neural networks computing in the server: classify, train, generate, diffuse. "
                        + "Runs stream their events as server-sent events (GET /api/runs/{id}/events). Errors are "
                        + "application/problem+json (RFC 9457) whose `field` names the bad input; a 429 says in "
                        + "`reason` whose limit was met and when to come back in Retry-After. /api/** takes only "
                        + "JSON and refuses requests a browser marks as cross-origin."));
    }

    @Bean
    OpenApiCustomizer problemAnswers() {
        return api -> {
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            api.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> addErrors(path, method, operation)));
        };
    }

    private static void addErrors(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses();
        // a path parameter that is any text (a run id) cannot be malformed: an unknown one is a 404
        boolean input = operation.getRequestBody() != null || (operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> !"path".equals(p.getIn())
                        || !"string".equals(p.getSchema().getType()) || p.getSchema().getEnum() != null));
        if (input) {
            declare(responses, "400", "Invalid input: `field` names it (e.g. `pixels[3]`, `runs[1].params.steps`) "
                    + "and `detail` says what it must be.");
        }
        declare(responses, "403", "Refused: a browser marked the request as coming from another site (`field`: "
                + "Origin).");
        if (operation.getRequestBody() != null) {
            declare(responses, "413", "The body is larger than the server accepts (1 MB; `field`: body).");
            declare(responses, "415", "The body is not JSON (`field`: Content-Type).");
        }
        if (method != PathItem.HttpMethod.GET || RateLimits.COMPUTING_GETS.contains(path)) {
            declare(responses, "429", "A limit was met, nothing started: `reason` is `rate-limit` (the caller's "
                    + "pace, with its `limit`), `own-runs` (the caller's runs computing), `own-share` (the caller's "
                    + "address or session holds its share of the slots) or `server-busy` (every slot taken).");
        }
        // a stream's own 429 is StreamLimits' (too many viewers), not a limit on work
        boolean stream = responses.values().stream().anyMatch(r -> r.getContent() != null
                && r.getContent().containsKey(org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE));
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                // every error is a problem, whatever the operation returns when it succeeds
                response.setContent(new Content().addMediaType(PROBLEM_JSON, new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
                        .example(EXAMPLES.get(stream && status.equals("429") ? "429 viewers" : status))));
                if (status.equals("429") || status.equals("503")) {
                    response.addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                            .description("Whole seconds until a request may pass (at least 1).")
                            .required(true).schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE)));
                }
            }
        });
    }

    /** A response the controller did not declare itself (its own description wins). */
    private static void declare(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description));
        }
    }

    /** RFC 9457's members and ours, as {@link ProblemResponses} and {@link ProblemWriter} write them. */
    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("An error (RFC 9457 problem details), as application/problem+json.")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri"))
                .addProperty("field", new StringSchema().description("The input at fault: a body member (with its "
                        + "place, e.g. `pixels[3]`, `runs[1].params.batchSize`), a query or path parameter, or a "
                        + "header (`Origin`, `Content-Type`, `Last-Event-ID`)."))
                .addProperty("reason", new StringSchema().description("Why a 429 or 410: whose limit was met, or why "
                        + "retention removed the run.")._enum(List.of("rate-limit", "own-runs", "own-share",
                        "server-busy", "viewers", "age", "size")))
                .addProperty("limit", new StringSchema().description("The rate limit that was met (reason rate-limit)."))
                .addProperty("expiredAt", new StringSchema().format("date-time")
                        .description("When retention removed the run (410)."))
                .required(List.of("title", "status"));
    }
}
