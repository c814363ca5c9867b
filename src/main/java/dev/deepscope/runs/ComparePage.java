package dev.deepscope.runs;

import dev.deepscope.errors.GoneException;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.web.BrowserSession;
import dev.deepscope.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Two runs of one kind side by side: {@code GET /compare?a=…&b=…} is the page (one player steps both; a run with
 * fewer steps holds its last), {@code GET /compare?a=…} lets the learner pick the second run from their history,
 * and {@code GET /api/compare?a=…&b=…} is the pair as JSON. A wrong id is a page that says which and why (or
 * problem+json naming {@code a} or {@code b}), never a 5xx.
 */
@Page
class ComparePage {

    static final String VIEW = "runs/compare";
    static final String PICK = "runs/compare-pick";
    static final String PROBLEM = "runs/compare-problem";
    /** The runs of the same kind offered as the second one. */
    private static final int CANDIDATES = 20;

    /** The pair as the API shows it; {@code links.page}: the side-by-side page. */
    record CompareView(String kind, RunsController.RunView a, RunsController.RunView b,
                       List<RunComparison.ParamRow> params, Map<String, String> links) {
    }

    private final RunComparison comparison;
    private final RunHistory history;

    ComparePage(RunComparison comparison, RunHistory history) {
        this.comparison = comparison;
        this.history = history;
    }

    @GetMapping(value = "/api/compare", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    @Tag(name = "runs")
    @Operation(summary = "Two runs of the same kind, side by side: both runs and their params lined up")
    @ApiResponse(responseCode = "200", description = "Both runs; `params[].differs` marks what differs.",
            useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "`a` or `b` missing or not a run id, or the runs are of different kinds (field b).")
    @ApiResponse(responseCode = "404", description = "No run has the id in `a` or `b` (the field says which).")
    @ApiResponse(responseCode = "410", description = "Retention removed the run in `a` or `b`.")
    Mono<CompareView> api(@Parameter(description = "a run id") @RequestParam(required = false) String a,
                          @Parameter(description = "a run id of the same kind (may equal a)")
                          @RequestParam(required = false) String b, ServerWebExchange exchange) {
        String session = BrowserSession.of(exchange);
        return Mono.fromCallable(() -> comparison.compare(a, b)).subscribeOn(Schedulers.boundedElastic())
                .map(pair -> new CompareView(pair.kind(), RunsController.RunView.of(pair.a(), session),
                        RunsController.RunView.of(pair.b(), session), pair.params(),
                        Map.of("page", "/compare?a=" + pair.a().id() + "&b=" + pair.b().id())));
    }

    @GetMapping("/compare")
    Mono<String> page(@RequestParam(required = false) String a, @RequestParam(required = false) String b,
                      Model model, ServerWebExchange exchange) {
        String session = BrowserSession.of(exchange);
        return Mono.fromCallable(() -> b == null || b.isEmpty() ? pick(a, session, model) : pair(a, b, model))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(e -> e instanceof InvalidFieldException || e instanceof NotFoundException
                        || e instanceof GoneException, e -> Mono.just(problem((RuntimeException) e, model, exchange)));
    }

    private String pair(String a, String b, Model model) {
        RunComparison.Pair pair = comparison.compare(a, b);
        model.addAttribute("pair", pair);
        return VIEW;
    }

    /** Only a is given: the session's other runs of its kind, newest first, and a field for any run's id. */
    private String pick(String a, String session, Model model) {
        Run first = comparison.run("a", a);
        List<RunHistory.Entry> others = history.of(session, first.kind(), 0, CANDIDATES + 1).stream()
                .filter(e -> !e.run().id().equals(first.id())).limit(CANDIDATES).toList();
        model.addAttribute("first", first);
        model.addAttribute("candidates", others);
        return PICK;
    }

    /** The problem as a page a person reads, with its status: which run (a or b) and why. */
    private static String problem(RuntimeException e, Model model, ServerWebExchange exchange) {
        String field;
        HttpStatus status;
        String title;
        if (e instanceof GoneException gone) {
            field = gone.field();
            status = HttpStatus.GONE;
            title = "A run to compare has expired";
        } else if (e instanceof NotFoundException missing) {
            field = missing.field();
            status = HttpStatus.NOT_FOUND;
            title = "A run to compare does not exist";
        } else {
            field = ((InvalidFieldException) e).field();
            status = HttpStatus.BAD_REQUEST;
            title = e instanceof RunComparison.DifferentKinds ? "These two runs cannot be compared" : "Which runs to compare?";
        }
        exchange.getResponse().setStatusCode(status);
        model.addAttribute("title", title);
        model.addAttribute("field", field);
        model.addAttribute("explanation", e instanceof InvalidFieldException ? field + " " + e.getMessage()
                : ("a".equals(field) ? "The first run (a): " : "The second run (b): ") + e.getMessage());
        return PROBLEM;
    }
}
