package dev.deepscope.text;

/** Where the shipped small GPT lives on the class path: checkpoint, tokenizer and manifest. */
final class TextModelFiles {

    static final String NAME = "gpt";
    static final String RESOURCE_DIR = "models/gpt";
    static final String TOKENIZER = "tokenizer.json";

    private TextModelFiles() {
    }
}
