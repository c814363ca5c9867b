package dev.deepscope.runs;

/**
 * How a run appears in a history list: a line of text (the prompt, the settings) and, where it helps,
 * a small picture as a data: URL (a drawn digit). Text is rendered escaped wherever it is shown.
 */
public record RunSummary(String text, String thumbnail) {
}
