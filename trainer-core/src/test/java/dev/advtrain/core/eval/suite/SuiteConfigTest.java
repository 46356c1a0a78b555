package dev.advtrain.core.eval.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Evaluation suites: the shipped ones load, defaults make a valid suite, mistakes are named. */
class SuiteConfigTest {

    static Stream<Path> shippedSuites() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "configs"))) {
            List<Path> suites = files.filter(p -> p.getFileName().toString().matches("eval-.*\\.yaml")).sorted().toList();
            assertTrue(suites.size() >= 3, "configs/eval-*.yaml: " + suites);
            return suites.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedSuites")
    void everyShippedSuiteLoadsValidatesAndRoundTrips(Path file) {
        SuiteConfig suite = SuiteConfig.load(file, List.of());
        assertEquals(suite, ConfigLoader.bindYaml(suite.toYaml(), "saved", SuiteConfig.class));
    }

    @Test
    void theDefaultSuiteIsApgdThenSquareUnderLinf() {
        SuiteConfig suite = SuiteConfig.load(null, List.of());
        assertEquals(1, suite.threats().size());
        SuiteConfig.Threat threat = suite.threats().get(0);
        assertEquals("linf", threat.norm());
        assertEquals(0.1, threat.eps());
        assertEquals(List.of("apgd-ce", "square"), threat.attacks().stream().map(SuiteConfig.AttackEntry::attack).toList());
        assertEquals(50, threat.attacks().get(0).steps());
        assertEquals(250, threat.attacks().get(1).queries());
        assertEquals(500, suite.data().limit());
        SuiteConfig quick = SuiteConfig.load(Path.of("..", "configs", "eval-mnist-quick.yaml"), List.of());
        assertEquals(quick.threats().get(0).attacks(), threat.attacks(), "the default suite is the quick one's attacks");
        assertTrue(suite.cascade());
        assertTrue(suite.sanity().enabled());
        assertEquals(List.of(0.05, 0.1, 0.2), new SuiteConfig.Threat("linf", 0.1, List.of(0.2, 0.05), null, List.of()).curve());
    }

    @Test
    void overridesApplyToTheSuite() {
        SuiteConfig suite = SuiteConfig.load(Path.of("..", "configs", "eval-mnist-quick.yaml"),
                List.of("data.limit=20", "threats.0.eps=0.2", "sanity.enabled=false"));
        assertEquals(20, suite.data().limit());
        assertEquals(0.2, suite.threats().get(0).eps());
        assertTrue(!suite.sanity().enabled());
    }

    @Test
    void mistakesAreOneLineNamingTheKey() {
        assertError("threats: [{norm: linf, eps: 0.1, attacks: [{attack: nope}]}]", "threats[0].attacks[0]", "nope");
        assertError("threats: [{norm: linf, eps: 0.1, attacks: [{attack: cw}]}]", "threats[0].attacks[0]", "l2");
        assertError("threats: [{norm: linf, eps: 1.5}]", "threats[0]", "<= 1");
        assertError("threats: [{norm: l2, attacks: [{attack: pgd}]}]", "threats[0].eps", "headline");
        assertError("threats: [{norm: l7, eps: 1}]", "threats[0].norm", "l7");
        assertError("threats: [{eps: 0.1, fail_under: 1.2}]", "threats[0].fail_under", "[0, 1]");
        assertError("threats: [{eps: 0.1, attacks: [{attack: pgd}, {attack: pgd}]}]", "threats[0].attacks[1]", "twice");
        assertError("threats: [{eps: 0.1, attacks: [{attack: pgd, step_size: 0.01, rel_step_size: 0.2}]}]", "threats[0].attacks[0]", "not both");
        assertError("defences: {apply: [{type: jpeg, bits: 3, quality: 50}]}", "defences.apply[0]", "'bits'");
        assertError("defences: {apply: [{type: blur}]}", "defences.apply[0]", "blur");
        assertError("threats: [{norm: linf, eps: 0.1}, {norm: linf, eps: 0.3}]", "threats[1].norm", "one threat model per norm");
        assertError("data: {limit: -1}", "data.limit", ">= 0");
        assertError("sanity: {tolerance: 1.5}", "sanity.tolerance", "[0, 1)");
        assertError("bogus: 1", "bogus", "unknown key");
    }

    private static void assertError(String yaml, String key, String why) {
        UserErrorException e = assertThrows(UserErrorException.class, () -> {
            SuiteConfig suite = ConfigLoader.bindYaml(yaml, "suite.yaml", SuiteConfig.class);
            suite.validate("suite.yaml");
        });
        assertTrue(e.getMessage().startsWith("suite.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(why), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
