package dev.deepscope.engine.diffusion;

/**
 * The shape of a noise-predicting U-Net: the image it denoises (side × side × channels) and the width
 * of each resolution level, full size first; each further level halves the side (28 → 14 → 7, or 7 → 4).
 * Cross-attention to the condition runs on the levels marked in {@code attention}.
 */
public record UNetArchitecture(String name, int side, int channels, int[] widths, boolean[] attention,
                               String description) {

    /** Condition tokens the cross-attention reads, and their width (the CLIP text side's). */
    public static final int CONDITION_LENGTH = 13;
    public static final int CONDITION_WIDTH = 64;
    /** Width of the time embedding MLP. */
    public static final int TIME_WIDTH = 128;

    public static final UNetArchitecture PIXEL = new UNetArchitecture("pixel-unet", 28, 1,
            new int[] {16, 32, 64}, new boolean[] {false, true, true},
            "pixel U-Net: 28×28×1, levels 16@28², 32@14², 64@7², cross-attention at 14² and 7²");

    /**
     * Narrower than the pixel U-Net and with fewer layers: a 7×7×4 latent holds 4× fewer numbers than a
     * 28×28 image, and on tiny tensors every layer's fixed cost counts, so being cheaper per step is the
     * point of diffusing in latent space.
     */
    public static final UNetArchitecture LATENT = new UNetArchitecture("latent-unet", 7, 4,
            new int[] {16, 32}, new boolean[] {false, true},
            "latent U-Net: 7×7×4 VAE latent, levels 16@7², 32@4², cross-attention at 4² and the bottleneck");

    /** Numbers in one image the U-Net denoises. */
    public int size() {
        return side * side * channels;
    }

    /** Side length at a level: ⌈side / 2^level⌉ (SAME-padded stride-2 convolutions). */
    public int sideAt(int level) {
        int s = side;
        for (int i = 0; i < level; i++) {
            s = (s + 1) / 2;
        }
        return s;
    }
}
