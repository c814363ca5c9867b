package dev.deepscope.learning;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /learning}: train a network live, race GD against SGD, walk its cost landscape, open up backprop. */
@Controller
class LearningPage {

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
        return VIEW;
    }
}
