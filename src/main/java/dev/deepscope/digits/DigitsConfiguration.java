package dev.deepscope.digits;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The digits are parsed once at start-up and shared by every chapter that uses them. */
@Configuration(proxyBeanMethods = false)
class DigitsConfiguration {

    @Bean
    MnistDigits mnistDigits() {
        return MnistDigits.load();
    }
}
