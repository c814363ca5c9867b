package dev.deepscope.runs;

import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.web.BrowserSession;
import dev.deepscope.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The caller's own runs, newest first, a page at a time and optionally of one kind: {@code GET /api/history}
 * as JSON, {@code GET /history} as the htmx panel every page shows (its "older"/"newer" and kind buttons fetch
 * the panel again). A session only ever sees its own.
 */
@Page
class HistoryController {

    static final String PANEL = "runs/history :: panel";
    static final String ALL = "all";
    private static final int MAX_PAGE_SIZE = 100;
    private static final int PANEL_SIZE = 10;
    /** The kinds in the series' order, for the panel's filter; kinds not listed (test kinds) come after. */
    private static final List<String> SERIES_ORDER = List.of("classify", "train", "generate", "diffuse");

    record Item(String id, String kind, RunStatus status, Instant createdAt, String summary, String thumbnail,
                Map<String, String> links) {
    }

    /** {@code kind} is "all" or the one kind listed. */
    record HistoryPage(List<Item> items, String kind, int page, int size, boolean hasMore) {
    }

    private final RunHistory runs;

    HistoryController(RunHistory runs) {
        this.runs = runs;
    }

    @GetMapping(value = "/api/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    @Tag(name = "runs")
    @Operation(summary = "The caller's own runs, newest first, a page at a time")
    @ApiResponse(responseCode = "200", description = "A page of runs.", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "503", description = "The database cannot be reached right now.")
    Mono<HistoryPage> history(@Parameter(schema = @Schema(type = "integer", minimum = "0", maximum = "100000", defaultValue = "0"))
                              @RequestParam(defaultValue = "0") int page,
                              @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "" + MAX_PAGE_SIZE,
                                      defaultValue = "20"))
                              @RequestParam(defaultValue = "20") int size,
                              @Parameter(description = "all, or one run kind") @RequestParam(defaultValue = ALL) String kind,
                              ServerWebExchange exchange) {
        if (page < 0 || page > 100_000) {
            throw new InvalidFieldException("page", "must be 0..100000");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidFieldException("size", "must be 1.." + MAX_PAGE_SIZE);
        }
        if (!kind.equals(ALL) && !runs.kinds().contains(kind)) {
            throw new InvalidFieldException("kind", "must be " + ALL + " or one of " + runs.kinds());
        }
        String session = BrowserSession.of(exchange);
        String only = kind.equals(ALL) ? null : kind;
        return Mono.fromCallable(() -> {
            // one extra row tells whether there is a next page
            List<RunHistory.Entry> entries = runs.of(session, only, (long) page * size, size + 1);
            List<Item> items = entries.stream().limit(size).map(HistoryController::item).toList();
            return new HistoryPage(items, kind, page, size, entries.size() > size);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/history")
    Mono<String> panel(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = ALL) String kind,
                       ServerWebExchange exchange, Model model) {
        return history(page, PANEL_SIZE, kind, exchange).map(history -> {
            model.addAttribute("history", history);
            model.addAttribute("kinds", filterKinds());
            return PANEL;
        });
    }

    private List<String> filterKinds() {
        List<String> kinds = new ArrayList<>(List.of(ALL));
        SERIES_ORDER.stream().filter(runs.kinds()::contains).forEach(kinds::add);
        runs.kinds().stream().filter(k -> !SERIES_ORDER.contains(k)).forEach(kinds::add);
        return kinds;
    }

    private static Item item(RunHistory.Entry e) {
        var run = e.run();
        return new Item(run.id(), run.kind(), run.status(), run.createdAt(), e.summary().text(),
                e.summary().thumbnail(), Map.of("share", "/r/" + run.id(), "self", "/api/runs/" + run.id(),
                "events", "/api/runs/" + run.id() + "/events"));
    }
}
