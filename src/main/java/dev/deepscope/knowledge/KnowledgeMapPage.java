package dev.deepscope.knowledge;

import dev.deepscope.web.Page;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /}: the knowledge map, a card for every concept of the series. */
@Page
class KnowledgeMapPage {

    static final String VIEW = "knowledge/map";

    @GetMapping("/")
    String map(Model model) {
        model.addAttribute("chapters", KnowledgeMap.byChapter());
        model.addAttribute("titles", KnowledgeMap.CONCEPTS.stream()
                .collect(java.util.stream.Collectors.toMap(Concept::id, Concept::title)));
        return VIEW;
    }
}
