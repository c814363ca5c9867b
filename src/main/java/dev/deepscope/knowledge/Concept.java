package dev.deepscope.knowledge;

import java.util.List;

/**
 * A card of the knowledge map: intuition first, the formula (TeX, rendered by KaTeX), then where it is
 * used and the live experiment that shows it. {@code experiment} is null until its chapter lands.
 */
public record Concept(String id, String chapter, String title, String intuition, String tex, List<String> usedIn,
                      String experiment) {

    public boolean live() {
        return experiment != null;
    }
}
