package dev.deepscope.knowledge;

import java.util.List;

/**
 * A card of the knowledge map: intuition first, the formula (TeX, rendered by KaTeX), then the cards it is
 * used in (by id) and the panel that shows it live.
 */
public record Concept(String id, Chapter chapter, String title, String intuition, String tex, List<String> usedIn,
                      Panel panel) {

    /** "Try it live": the page, scrolled to the panel. */
    public String experiment() {
        return panel.href();
    }
}
