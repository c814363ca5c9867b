package dev.deepscope.learning;

import dev.deepscope.runs.Run;
import dev.deepscope.runs.SharedRunView;
import dev.deepscope.web.Page;
import java.math.BigDecimal;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /learning}: train a network live, race GD against SGD, walk its cost landscape, open up backprop. */
@Page
class LearningPage implements SharedRunView {

    static final String VIEW = "learning/page";

    private final DigitData data;

    LearningPage(DigitData data) {
        this.data = data;
    }

    @GetMapping("/learning")
    String page(Model model) {
        model.addAttribute("trainingSize", data.training().size());
        model.addAttribute("validationSize", data.validation().size());
        model.addAttribute("maxSteps", TrainParams.MAX_STEPS);
        model.addAttribute("ownMinPerClass", OwnDrawings.MIN_PER_CLASS);
        model.addAttribute("ownMaxDrawings", OwnDrawings.MAX_DRAWINGS);
        model.addAttribute("ownMaxClasses", OwnDrawings.MAX_CLASSES);
        model.addAttribute("ownHoldOut", OwnDrawings.HOLD_OUT_ONE_IN);
        // "3" and "0.4", as a person writes them (the form's η and the hint)
        model.addAttribute("learningRates", TrainParams.DEFAULT_LEARNING_RATES.entrySet().stream().collect(
                Collectors.toMap(Map.Entry::getKey, e -> BigDecimal.valueOf(e.getValue()).stripTrailingZeros().toPlainString())));
        return VIEW;
    }

    /** A shared train run opens on this page, which replays it (or joins it while it trains). */
    @Override
    public boolean shows(String kind) {
        return TrainRun.KIND.equals(kind);
    }

    @Override
    public String render(Run run, Model model) {
        return "redirect:/learning?run=" + run.id();
    }
}
