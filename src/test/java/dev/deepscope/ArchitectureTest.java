package dev.deepscope;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package map the imports must agree with (the README's "Layout"): no cycles between the top-level packages,
 * TensorFlow only in {@code engine}, no chapter importing another, and no web types below {@code web} and the
 * controllers. Reads the compiled main classes ({@code target/classes}), not the tests.
 */
class ArchitectureTest {

    private static final List<String> CHAPTERS = List.of("digits", "learning", "text", "diffusion");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.deepscope");

    /** What answers HTTP: controllers and pages ({@code @RestController}, {@code @Controller}, {@code @Page}) and their nested types. */
    private static final DescribedPredicate<JavaClass> CONTROLLERS = DescribedPredicate.describe(
            "controllers and pages", c -> isController(c) || c.getEnclosingClass().map(ArchitectureTest::isController).orElse(false));

    /** HTTP and the web layer: Spring's web and HTTP types, Netty, and our own {@code web} package. */
    private static final DescribedPredicate<JavaClass> WEB_TYPES = resideInAnyPackage("dev.deepscope.web..",
            "org.springframework.web..", "org.springframework.http..", "reactor.netty..", "io.netty..")
            .as("web types");

    private static boolean isController(JavaClass c) {
        return c.isAnnotatedWith(RestController.class) || c.isAnnotatedWith(Controller.class)
                || c.isMetaAnnotatedWith(Controller.class);
    }

    @Test
    void theMainClassesAreThere() {
        // every rule below would pass on nothing: make sure it reads the app
        assertThat(CLASSES.size()).isGreaterThan(200);
        assertThat(CLASSES.stream().filter(CONTROLLERS).count()).isGreaterThanOrEqualTo(13);
    }

    @Test
    void noCyclesBetweenTopLevelPackages() {
        slices().matching("dev.deepscope.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void tensorFlowOnlyInEngine() {
        noClasses().that().resideOutsideOfPackage("dev.deepscope.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.tensorflow..", "org.bytedeco..")
                .because("engine is the only TensorFlow home").check(CLASSES);
    }

    @Test
    void engineKnowsNeitherSpringNorHttpNorTheRestOfTheApp() {
        noClasses().that().resideInAPackage("dev.deepscope.engine..")
                .should().dependOnClassesThat(resideInAPackage("dev.deepscope..")
                        .and(not(resideInAPackage("dev.deepscope.engine.."))))
                .orShould().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..", "io.netty..")
                .check(CLASSES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"digits", "learning", "text", "diffusion"})
    void noChapterImportsAnotherChapter(String chapter) {
        String[] others = CHAPTERS.stream().filter(c -> !c.equals(chapter)).map(c -> "dev.deepscope." + c + "..")
                .toArray(String[]::new);
        noClasses().that().resideInAPackage("dev.deepscope." + chapter + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("shared code (MNIST data, shipped models, vector math) lives in mnist, models and engine")
                .check(CLASSES);
    }

    @Test
    void theSharedPackagesKnowNoChapter() {
        String[] chapters = CHAPTERS.stream().map(c -> "dev.deepscope." + c + "..").toArray(String[]::new);
        noClasses().that().resideOutsideOfPackages(chapters).and().resideOutsideOfPackage("dev.deepscope")
                .should().dependOnClassesThat().resideInAnyPackage(chapters)
                .because("chapters plug in (runs by kind, /api/system by model cards); nothing below them names one")
                .check(CLASSES);
    }

    @Test
    void noWebTypesBelowWebAndTheControllers() {
        noClasses().that().resideOutsideOfPackage("dev.deepscope.web..").and(not(CONTROLLERS))
                .should().dependOnClassesThat(WEB_TYPES)
                .because("model, params and run code knows nothing of HTTP: its errors are in errors, and web "
                        + "maps them to problem+json")
                .check(CLASSES);
    }

    @Test
    void theChapterRulesSeeEveryChapter() {
        // a renamed chapter would make its rules pass on nothing
        for (String chapter : CHAPTERS) {
            assertThat(CLASSES.stream().filter(resideInAPackage("dev.deepscope." + chapter + "..")).count())
                    .as(chapter).isGreaterThan(5);
        }
    }
}
