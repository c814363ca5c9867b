package dev.deepscope.diffusion;

/** Where diffusion runs: on the 28×28 pixels, or on the VAE's 7×7×4 latent (decoded at the end). */
public enum Space {
    PIXEL, LATENT
}
