package dev.deepscope.runs;

import dev.deepscope.clients.Caller;
import dev.deepscope.web.Callers;
import dev.deepscope.errors.GoneException;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.retention.RunUse;
import dev.deepscope.web.BrowserSession;
import dev.deepscope.web.Page;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code /r/{id}}: a share link. Anyone with it opens the run's page with its parameters filled in; a
 * finished run replays, a running one is followed live, on any instance. "Rerun" starts it again.
 */
@Page
class SharePage {

    static final String MISSING = "runs/missing";
    static final String EXPIRED = "runs/expired";

    private final RunRecords records;
    private final RunService runs;
    private final List<SharedRunView> views;
    private final RunUse use;

    SharePage(RunRecords records, RunService runs, List<SharedRunView> views, RunUse use) {
        this.records = records;
        this.runs = runs;
        this.views = views;
        this.use = use;
    }

    @GetMapping("/r/{id}")
    Mono<String> show(@PathVariable String id, Model model, ServerWebExchange exchange) {
        // the run, or why there is none (404 or 410), both looked up off the event loop
        return Mono.<Object>fromCallable(() -> records.find(id).<Object>map(run -> run).orElseGet(() -> records.missing(id)))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(found -> found instanceof Run run
                        ? use.opened(id, BrowserSession.of(exchange)).then(Mono.fromSupplier(() -> page(run, model)))
                        : Mono.fromSupplier(() -> deadLink(id, (RuntimeException) found, model, exchange)));
    }

    private String page(Run run, Model model) {
        return views.stream().filter(v -> v.shows(run.kind())).findFirst()
                .orElseThrow(() -> new NotFoundException("id", "Runs of kind " + run.kind() + " have no page."))
                .render(run, model);
    }

    /**
     * A person who followed a dead link gets a page that says so, with the way back to the map: that the run
     * expired, when and why (410), or that there is no such run (404). A program (anything not asking for HTML)
     * gets the same as problem+json.
     */
    private static String deadLink(String id, RuntimeException why, Model model, ServerWebExchange exchange) {
        boolean html = exchange.getRequest().getHeaders().getAccept().stream()
                .anyMatch(type -> type.getType().equals("text") && type.getSubtype().equals("html"));
        if (!html) {
            throw why;
        }
        model.addAttribute("id", id);
        if (why instanceof GoneException gone) {
            exchange.getResponse().setStatusCode(HttpStatus.GONE);
            model.addAttribute("explanation", gone.getMessage());
            return EXPIRED;
        }
        exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
        return MISSING;
    }

    /** For the history panel's htmx button (CSRF-checked): start it again and go to the new run. */
    @PostMapping("/r/{id}/rerun")
    Mono<ResponseEntity<Void>> rerun(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = Callers.of(exchange);
        return Mono.fromCallable(() -> runs.rerun(id, caller))
                .subscribeOn(Schedulers.boundedElastic())
                .map(run -> ResponseEntity.noContent().header("HX-Redirect", "/r/" + run.id()).build());
    }
}
