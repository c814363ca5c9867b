package dev.deepscope.runs;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One experiment: kind + params (+ seed) → a stream of events. The same params and seed give the same
 * events. {@code sessionId} is whose history it belongs to; it is never shown to anyone.
 */
public record Run(String id, String kind, JsonNode params, Long seed, RunStatus status, JsonNode result,
                  Instant createdAt, Instant finishedAt, String sessionId) {
}
