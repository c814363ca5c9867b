package dev.deepscope.knowledge;


/**
 * The four chapters of 3Blue1Brown's deep-learning series, in the order a newcomer should take them: each
 * builds on the one before. {@code videos} names the videos of the series the chapter follows.
 */
public enum Chapter {

    STRUCTURE("Structure", "DL1", "/digits", "What a network is: neurons, weights, layers, one pass forward."),
    LEARNING("Learning", "DL2–4", "/learning", "How it learns: a cost, its gradient, descent, backpropagation."),
    ARCHITECTURE("Architecture", "DL5–7", "/text", "How a transformer writes: tokens, attention, MLPs, softmax."),
    GENERATION("Generation", "DL8", "/diffusion", "How pictures come out of noise: diffusion, guidance, CLIP.");

    private final String title;
    private final String videos;
    private final String page;
    private final String summary;

    Chapter(String title, String videos, String page, String summary) {
        this.title = title;
        this.videos = videos;
        this.page = page;
        this.summary = summary;
    }

    /** 1 for the first chapter: the step on the learner's path. */
    public int step() {
        return ordinal() + 1;
    }

    public String title() {
        return title;
    }

    /** The videos of the series this chapter follows, e.g. "DL2–4". */
    public String videos() {
        return videos;
    }

    /** The page with this chapter's live experiments. */
    public String page() {
        return page;
    }

    public String summary() {
        return summary;
    }

    /** The id of the chapter's section on the map. */
    public String anchor() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
