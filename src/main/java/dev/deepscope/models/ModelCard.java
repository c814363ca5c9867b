package dev.deepscope.models;

import tools.jackson.databind.JsonNode;

/**
 * What {@code GET /api/system} says about one shipped model.
 *
 * @param name       the model's name, e.g. {@code cnn}
 * @param chapter    the chapter that serves it: {@code structure}, {@code architecture} or {@code generation}
 * @param parameters how many trainable numbers it has
 * @param metrics    its manifest's {@code metrics}, as measured when it was trained
 */
public record ModelCard(String name, String chapter, long parameters, JsonNode metrics) {

    /**
     * The cards of a chapter's models. A chapter's models bean implements it and {@code /api/system} lists every
     * bean's cards in the beans' {@link org.springframework.core.annotation.Order} (the series' order), so
     * {@code system} needs to know no chapter.
     */
    public interface Source {

        /** This chapter's models, in the order the chapter shows them. */
        java.util.List<ModelCard> modelCards();
    }
}
