package dev.deepscope.runs;

/**
 * How a run appears in a history list: a line of text (what was asked, what came out) and a small picture as a
 * {@code data:} URL ({@link Thumbnail}), or null where there is none yet (the list then shows the kind's icon).
 * Text is rendered escaped wherever it is shown.
 */
public record RunSummary(String text, String thumbnail) {
}
