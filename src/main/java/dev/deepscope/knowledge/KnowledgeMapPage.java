package dev.deepscope.knowledge;

import dev.deepscope.web.Page;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /}: the knowledge map, a card for every concept of the series, chapters in the order to take them. */
@Page
class KnowledgeMapPage {

    static final String VIEW = "knowledge/map";

    @GetMapping("/")
    String map(Model model) {
        model.addAttribute("chapters", KnowledgeMap.byChapter());
        model.addAttribute("concepts", KnowledgeMap.byId());
        return VIEW;
    }
}
