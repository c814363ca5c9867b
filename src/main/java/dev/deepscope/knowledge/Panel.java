package dev.deepscope.knowledge;

/**
 * Where a concept is shown live: a page and the id of the panel on it. This is the one table the knowledge
 * map's "Try it live" links and the pages' {@code id} attributes agree on (KnowledgeMapPageTest checks every
 * id against its page), so rename a panel here and in its template together.
 */
public enum Panel {

    DIGIT_PAD("/digits", "draw-panel"),
    NETWORK("/digits", "network"),
    NETWORK_LAYERS("/digits", "layers-panel"),
    NEURON_WEIGHTS("/digits", "neuron-detail"),
    ACTIVATIONS("/digits", "activation-panel"),
    INTERVENTION("/digits", "intervene-panel"),

    TRAINING("/learning", "train-panel"),
    GD_VS_SGD("/learning", "race-panel"),
    COST_LANDSCAPE("/learning", "landscape-panel"),
    BACKPROPAGATION("/learning", "backprop-panel"),
    CHAIN_RULE_FACTORS("/learning", "factors"),

    TOKENIZERS("/text", "tokenize-panel"),
    EMBEDDING_SPACE("/text", "embedding-panel"),
    ATTENTION_HEADS("/text", "attention-panel"),
    ATTENTION_INSIDE("/text", "inside-attention-panel"),
    RESIDUAL_STREAM("/text", "residual-panel"),
    KNOCKOUT("/text", "knockout-panel"),
    MLP_NEURONS("/text", "neurons-panel"),
    LOGIT_LENS("/text", "lens-panel"),
    TEMPERATURE("/text", "softmax-panel"),
    NEXT_TOKENS("/text", "next-token-panel"),

    FORWARD_PROCESS("/diffusion", "forward-panel"),
    REVERSE_PROCESS("/diffusion", "reverse-panel"),
    UNET_INSIDE("/diffusion", "unet-inside"),
    CROSS_ATTENTION("/diffusion", "cross-attention"),
    LATENT_STEPS("/diffusion", "latent-steps"),
    GUIDANCE("/diffusion", "guidance-panel"),
    PIXEL_VS_LATENT("/diffusion", "latent-panel"),
    CLIP("/diffusion", "clip-panel");

    private final String page;
    private final String id;

    Panel(String page, String id) {
        this.page = page;
        this.id = id;
    }

    public String page() {
        return page;
    }

    /** The {@code id} attribute of the panel's element on its page. */
    public String id() {
        return id;
    }

    /** The deep link, e.g. {@code /text#attention-panel}: the page scrolls to the panel and highlights it. */
    public String href() {
        return page + "#" + id;
    }
}
