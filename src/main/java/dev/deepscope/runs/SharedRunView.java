package dev.deepscope.runs;

import org.springframework.ui.Model;

/**
 * A chapter page that can show a shared run (/r/{id}): its parameters filled in, its events replayed
 * or followed live. Each chapter's page controller implements it for its kinds of run.
 */
public interface SharedRunView {

    boolean shows(String kind);

    /** Fills the model for the run and returns the view name. */
    String render(Run run, Model model);
}
