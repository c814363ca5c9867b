package dev.deepscope.sessions;

import dev.deepscope.runs.RunService;
import dev.deepscope.runs.RunStatus;
import dev.deepscope.web.InvalidFieldException;
import dev.deepscope.web.Page;
import java.time.Instant;
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
 * The caller's own runs, newest first: {@code GET /api/history} as JSON, {@code GET /history} as the
 * htmx panel every page shows. A session only ever sees its own.
 */
@Page
class HistoryController {

    static final String PANEL = "sessions/history :: panel";
    private static final int MAX_PAGE_SIZE = 100;

    record Item(String id, String kind, RunStatus status, Instant createdAt, String summary, String thumbnail,
                Map<String, String> links) {
    }

    record HistoryPage(List<Item> items, int page, int size, boolean hasMore) {
    }

    private final RunService runs;

    HistoryController(RunService runs) {
        this.runs = runs;
    }

    @GetMapping(value = "/api/history", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Mono<HistoryPage> history(@RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "20") int size, ServerWebExchange exchange) {
        if (page < 0 || page > 100_000) {
            throw new InvalidFieldException("page", "must be 0..100000");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidFieldException("size", "must be 1.." + MAX_PAGE_SIZE);
        }
        String session = BrowserSession.of(exchange);
        return Mono.fromCallable(() -> {
            // one extra row tells whether there is a next page
            List<RunService.Entry> entries = runs.history(session, (long) page * size, size + 1);
            List<Item> items = entries.stream().limit(size).map(HistoryController::item).toList();
            return new HistoryPage(items, page, size, entries.size() > size);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/history")
    Mono<String> panel(ServerWebExchange exchange, Model model) {
        return history(0, 10, exchange).map(page -> {
            model.addAttribute("history", page);
            return PANEL;
        });
    }

    private static Item item(RunService.Entry e) {
        var run = e.run();
        return new Item(run.id(), run.kind(), run.status(), run.createdAt(), e.summary().text(),
                e.summary().thumbnail(), Map.of("share", "/r/" + run.id(), "self", "/api/runs/" + run.id(),
                "events", "/api/runs/" + run.id() + "/events"));
    }
}
