package dev.deepscope.learning;

import dev.deepscope.mnist.MnistDigits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chapter 2's digits, read once and shared by every training run, landscape and inspection. */
@Configuration(proxyBeanMethods = false)
class LearningConfiguration {

    @Bean
    DigitData digitData(MnistDigits digits) {
        return DigitData.of(digits);
    }
}
