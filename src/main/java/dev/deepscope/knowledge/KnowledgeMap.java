package dev.deepscope.knowledge;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every concept of the series, chapter by chapter, in the order the series teaches them. */
public final class KnowledgeMap {

    public static final List<Concept> CONCEPTS = List.of(
            // Structure (DL1)
            new Concept("neuron", Chapter.STRUCTURE, "Neuron",
                    "A neuron holds one number, its activation: how strongly it lights up for this input.",
                    "a \\in [0, 1]", List.of("layers", "activation-functions"), Panel.INTERVENTION),
            new Concept("weights-and-bias", Chapter.STRUCTURE, "Weights & bias",
                    "Each neuron weighs the pattern of the layer before it and adds a bias for how easily it fires.",
                    "z = w_1 a_1 + w_2 a_2 + \\dots + w_n a_n + b", List.of("forward-pass", "gradient"), Panel.NEURON_WEIGHTS),
            new Concept("layers", Chapter.STRUCTURE, "Layers",
                    "Layers build up from pixels to edges to strokes to digits, each computed from the one before.",
                    "784 \\to 16 \\to 16 \\to 10", List.of("forward-pass", "backpropagation"), Panel.NETWORK_LAYERS),
            new Concept("forward-pass", Chapter.STRUCTURE, "Forward pass",
                    "The whole network is one function: multiply by the weights, add the biases, squash, repeat.",
                    "a^{(l+1)} = \\sigma\\!\\left(W^{(l)} a^{(l)} + b^{(l)}\\right)", List.of("cost-function", "mlp-block"), Panel.NETWORK),
            new Concept("activation-functions", Chapter.STRUCTURE, "Activation functions",
                    "A non-linear squash lets layers do more than one big matrix could: sigmoid squeezes, ReLU clips.",
                    "\\sigma(z) = \\frac{1}{1 + e^{-z}} \\qquad \\mathrm{ReLU}(z) = \\max(0, z)",
                    List.of("forward-pass", "mlp-block"), Panel.ACTIVATIONS),
            // Learning (DL2–4)
            new Concept("cost-function", Chapter.LEARNING, "Cost function",
                    "One number for how bad the network is: how far its outputs are from the right answers, averaged.",
                    "C(\\theta) = \\frac{1}{n} \\sum_{i=1}^{n} \\lVert a^{(L)}(x_i) - y_i \\rVert^2",
                    List.of("gradient", "gradient-descent"), Panel.TRAINING),
            new Concept("gradient", Chapter.LEARNING, "Gradient",
                    "The direction in weight space in which the cost rises fastest; its parts say which weights matter most.",
                    "\\nabla C = \\left(\\frac{\\partial C}{\\partial w_1}, \\dots, \\frac{\\partial C}{\\partial w_n}\\right)",
                    List.of("gradient-descent", "backpropagation"), Panel.COST_LANDSCAPE),
            new Concept("gradient-descent", Chapter.LEARNING, "Gradient descent",
                    "Learning is rolling downhill on the cost: take a small step against the gradient, again and again.",
                    "\\theta \\leftarrow \\theta - \\eta \\, \\nabla C(\\theta)", List.of("sgd"), Panel.TRAINING),
            new Concept("sgd", Chapter.LEARNING, "Stochastic gradient descent",
                    "Estimate the slope from a small random mini-batch: noisier steps, but many more of them.",
                    "\\theta \\leftarrow \\theta - \\eta \\, \\frac{1}{m} \\sum_{i \\in B} \\nabla C_i(\\theta)",
                    List.of("gradient-descent"), Panel.GD_VS_SGD),
            new Concept("backpropagation", Chapter.LEARNING, "Backpropagation",
                    "Blame flows backward: each layer's error is computed from the error of the layer after it.",
                    "\\delta^{(l)} = \\left(W^{(l+1)}\\right)^{\\!\\top} \\delta^{(l+1)} \\odot \\sigma'\\!\\left(z^{(l)}\\right)",
                    List.of("chain-rule", "gradient"), Panel.BACKPROPAGATION),
            new Concept("chain-rule", Chapter.LEARNING, "Chain rule",
                    "How much the cost moves with a weight = how wrong × how responsive × how active.",
                    "\\frac{\\partial C}{\\partial w^{(L)}} = \\frac{\\partial z^{(L)}}{\\partial w^{(L)}} "
                            + "\\frac{\\partial a^{(L)}}{\\partial z^{(L)}} \\frac{\\partial C}{\\partial a^{(L)}}",
                    List.of("backpropagation"), Panel.CHAIN_RULE_FACTORS),
            // Architecture (DL5–7)
            new Concept("tokens-and-embeddings", Chapter.ARCHITECTURE, "Tokens & embeddings",
                    "Text is cut into tokens, and each token becomes a vector whose direction carries meaning.",
                    "x_i = W_E[:, t_i] + P[:, i]", List.of("attention", "dot-products"), Panel.TOKENIZERS),
            new Concept("dot-products", Chapter.ARCHITECTURE, "Vectors & dot products",
                    "A dot product measures how much two vectors point the same way: the model's sense of similarity.",
                    "\\vec{a} \\cdot \\vec{b} = \\sum_i a_i b_i = \\lVert a \\rVert \\lVert b \\rVert \\cos\\theta",
                    List.of("attention", "logits-to-token", "clip"), Panel.EMBEDDING_SPACE),
            new Concept("attention", Chapter.ARCHITECTURE, "Attention",
                    "Each token asks a question (query); tokens whose keys answer it pass along their values.",
                    "\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}\\!\\left(\\frac{QK^{\\top}}{\\sqrt{d_k}}\\right) V",
                    List.of("residual-stream", "cross-attention"), Panel.ATTENTION_INSIDE),
            new Concept("mlp-block", Chapter.ARCHITECTURE, "MLP block",
                    "Between attention steps, every token passes through the same little network: where facts are stored.",
                    "\\mathrm{MLP}(x) = W_{\\downarrow} \\, \\mathrm{GELU}(W_{\\uparrow} x + b_{\\uparrow}) + b_{\\downarrow}",
                    List.of("residual-stream"), Panel.MLP_NEURONS),
            new Concept("residual-stream", Chapter.ARCHITECTURE, "Residual stream",
                    "Each block adds its findings to a running vector per token instead of replacing it.",
                    "x^{(l+1)} = x^{(l)} + \\mathrm{Attn}(x^{(l)}) + \\mathrm{MLP}\\big(x^{(l)} + \\mathrm{Attn}(x^{(l)})\\big)",
                    List.of("logits-to-token"), Panel.RESIDUAL_STREAM),
            new Concept("softmax", Chapter.ARCHITECTURE, "Softmax & temperature",
                    "Turns any list of scores into probabilities; temperature flattens (high T) or sharpens (low T) them.",
                    "p_i = \\frac{e^{z_i / T}}{\\sum_j e^{z_j / T}}", List.of("attention", "logits-to-token", "forward-pass"), Panel.TEMPERATURE),
            new Concept("logits-to-token", Chapter.ARCHITECTURE, "Logits → token",
                    "The last vector is compared with every token's unembedding; the scores become a distribution to sample.",
                    "\\mathrm{logits} = W_U \\, \\mathrm{LayerNorm}(x_{\\mathrm{last}}), \\quad t \\sim \\mathrm{softmax}(\\mathrm{logits})",
                    List.of("softmax"), Panel.NEXT_TOKENS),
            // Generation (DL8)
            new Concept("forward-diffusion", Chapter.GENERATION, "Forward diffusion",
                    "Destroy an image with noise step by step; the shortcut jumps straight to any step t.",
                    "x_t = \\sqrt{\\bar\\alpha_t}\\, x_0 + \\sqrt{1 - \\bar\\alpha_t}\\, \\varepsilon", List.of("u-net"), Panel.FORWARD_PROCESS),
            new Concept("u-net", Chapter.GENERATION, "U-Net denoising",
                    "A network that looks at a noisy image and the time step and predicts the noise to remove.",
                    "\\mathcal{L} = \\mathbb{E}\\,\\lVert \\varepsilon - \\varepsilon_\\theta(x_t, t, c) \\rVert^2",
                    List.of("latent-diffusion", "classifier-free-guidance"), Panel.UNET_INSIDE),
            new Concept("cross-attention", Chapter.GENERATION, "Cross-attention",
                    "Every pixel of the U-Net asks the prompt's words which matter to it: queries from pixels, keys and values from words.",
                    "\\mathrm{Attention}(Q, K, V) = \\mathrm{softmax}\\!\\left(\\frac{QK^{\\top}}{\\sqrt{d}}\\right) V, \\; Q = \\mathrm{pixels}, \\; K, V = \\mathrm{words}",
                    List.of("u-net"), Panel.CROSS_ATTENTION),
            new Concept("clip", Chapter.GENERATION, "CLIP",
                    "Text and images mapped into one space, so a caption and its picture point the same way.",
                    "s_{ij} = \\frac{f(\\mathrm{image}_i) \\cdot g(\\mathrm{text}_j)}{\\lVert f \\rVert \\lVert g \\rVert}",
                    List.of("classifier-free-guidance", "u-net"), Panel.CLIP),
            new Concept("latent-diffusion", Chapter.GENERATION, "Latent diffusion",
                    "Diffuse in a small compressed space learned by an autoencoder, then decode: same idea, far cheaper.",
                    "z = E(x), \\quad \\hat{x} = D(\\hat{z}_0)", List.of("u-net"), Panel.LATENT_STEPS),
            new Concept("classifier-free-guidance", Chapter.GENERATION, "Classifier-free guidance",
                    "Push the prediction away from 'anything' toward 'what the prompt asked for'.",
                    "\\hat\\varepsilon = (w + 1)\\, \\varepsilon_\\theta(x_t, c) - w \\, \\varepsilon_\\theta(x_t, \\varnothing)",
                    List.of("clip", "u-net"), Panel.GUIDANCE));

    private KnowledgeMap() {
    }

    /** The concepts of each chapter, chapters in the series' order. */
    public static Map<Chapter, List<Concept>> byChapter() {
        Map<Chapter, List<Concept>> chapters = new EnumMap<>(Chapter.class);
        for (Chapter chapter : Chapter.values()) {
            chapters.put(chapter, CONCEPTS.stream().filter(c -> c.chapter() == chapter).toList());
        }
        return chapters;
    }

    /** Every concept by id, for the cards' "Used in" links. */
    public static Map<String, Concept> byId() {
        return CONCEPTS.stream().collect(Collectors.toMap(Concept::id, c -> c));
    }

    public static Optional<Concept> concept(String id) {
        return CONCEPTS.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
