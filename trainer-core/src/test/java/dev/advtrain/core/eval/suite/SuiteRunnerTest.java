package dev.advtrain.core.eval.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.core.data.LabeledImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite's aggregation (worst case, cascade, per class), its gate and the defences, on a trained MLP. */
class SuiteRunnerTest {

    @TempDir
    static Path dir;

    static LabeledImages test;
    static MultiLayerNetwork net;
    static DifferentiableClassifier model;

    @BeforeAll
    static void train() throws IOException {
        test = SuiteFixtures.testImages(dir.resolve("mnist"));
        net = SuiteFixtures.trainedMlp(dir.resolve("mnist"));
        model = Classifiers.of(net);
    }

    /** FGSM and BIM start from the image itself, so each image's result does not depend on its batch. */
    private static String deterministic(boolean cascade, String extra) {
        return """
                data: {limit: 80}
                batch_size: 32
                cascade: %s
                threats:
                  - norm: linf
                    eps: 0.15
                    epsilons: [0.05, 0.25]
                    attacks:
                      - {attack: fgsm}
                      - {attack: bim, steps: 5}
                sanity: {enabled: false}
                %s
                """.formatted(cascade, extra);
    }

    private static SuiteReport run(String yaml) {
        return SuiteFixtures.run(model, SuiteFixtures.suite(yaml), test).report();
    }

    private static SuiteReport.AttackOutcome result(SuiteReport report, String attack, double eps) {
        return report.results().stream().filter(r -> r.attack().equals(attack) && r.eps() == eps).findFirst().orElseThrow();
    }

    @Test
    void anImageIsRobustOnlyIfEveryAttackFailedAndTheCascadeAgrees() {
        SuiteReport independent = run(deterministic(false, ""));
        SuiteReport cascade = run(deterministic(true, ""));
        int n = independent.n();
        int cleanCorrect = (int) Math.round(independent.cleanAccuracy() * n);
        assertEquals(80, n);
        assertEquals(6, independent.results().size(), "two attacks at three eps");
        for (double eps : List.of(0.05, 0.15, 0.25)) {
            SuiteReport.AttackOutcome fgsm = result(independent, "fgsm", eps);
            SuiteReport.AttackOutcome bim = result(independent, "bim", eps);
            SuiteReport.WorstCase worst = independent.worstCase().stream().filter(w -> w.eps() == eps).findFirst().orElseThrow();
            assertEquals(cleanCorrect, fgsm.attacked(), "without a cascade every clean-correct image is attacked");
            assertEquals(cleanCorrect, bim.attacked());
            assertTrue(worst.robustAccuracy() <= Math.min(fgsm.robustAccuracy(), bim.robustAccuracy()) + 1e-12);
            int broken = worst.brokenBy().values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(cleanCorrect, broken + Math.round(worst.robustAccuracy() * n), "every clean-correct image is robust or broken once");
            assertEquals(eps == 0.15, worst.headline());

            SuiteReport.WorstCase cascaded = cascade.worstCase().stream().filter(w -> w.eps() == eps).findFirst().orElseThrow();
            assertEquals(worst.robustAccuracy(), cascaded.robustAccuracy(), 1e-12, "the cascade finds the same worst case");
            assertEquals(worst.brokenBy(), cascaded.brokenBy());
            SuiteReport.AttackOutcome cascadedBim = result(cascade, "bim", eps);
            assertEquals(cleanCorrect - result(cascade, "fgsm", eps).successes(), cascadedBim.attacked(),
                    "BIM runs only on what FGSM left");
            assertEquals(cascaded.robustAccuracy(), cascadedBim.robustAccuracy(), 1e-12, "the last attack's number is the worst case");
        }
        assertTrue(independent.worstCase().get(2).robustAccuracy() < independent.worstCase().get(0).robustAccuracy(),
                "a trained MLP is broken more at eps 0.25 than at 0.05: " + independent.worstCase());
    }

    @Test
    void perClassNumbersAndTheConfusionAddUpToTheWorstCase() {
        SuiteRunner.SuiteResult result = SuiteFixtures.run(model, SuiteFixtures.suite(deterministic(true, "")), test);
        SuiteReport report = result.report();
        SuiteReport.PerClass perClass = report.perClass().get(0);
        assertEquals(0.15, perClass.eps());
        assertEquals(10, perClass.classes().size());
        int n = perClass.classes().stream().mapToInt(SuiteReport.ClassOutcome::n).sum();
        double robust = perClass.classes().stream().mapToDouble(c -> c.n() == 0 ? 0 : c.robustAccuracy() * c.n()).sum();
        assertEquals(report.n(), n);
        assertEquals(report.worstCase().get(1).robustAccuracy() * n, robust, 1e-9);
        assertEquals(n, Arrays.stream(perClass.confusion()).flatMapToInt(Arrays::stream).sum());
        int diagonal = 0;
        for (int c = 0; c < 10; c++) {
            diagonal += perClass.confusion()[c][c];
        }
        assertEquals(Math.round(report.worstCase().get(1).robustAccuracy() * n), diagonal,
                "only robust images keep their class: broken ones flip, misclassified ones were wrong already");
        SuiteRunner.WorstCaseExamples examples = result.examples().get(0);
        for (int i = 0; i < examples.images().size(); i++) {
            float[] clean = examples.images().pixels(i);
            for (int j = 0; j < clean.length; j++) {
                assertTrue(Math.abs(examples.adversarial()[i * clean.length + j] - clean[j]) <= 0.15 + 1e-6, "inside the eps-ball");
            }
        }
    }

    @Test
    void aTransferAttackCraftsOnItsSurrogateAndCountsAsBlackBox() {
        List<String> loaded = new java.util.ArrayList<>();
        SuiteConfig suite = SuiteFixtures.suite("""
                data: {limit: 40}
                threats:
                  - norm: linf
                    eps: 0.2
                    attacks:
                      - {attack: pgd, steps: 5}
                      - {attack: pgd, steps: 5, surrogate: twin.zip}
                sanity: {limit: 20, steps: 2}
                """);
        SuiteReport report = new SuiteRunner(model, file -> {
            loaded.add(file);
            return Classifiers.of(net.clone());
        }, dev.advtrain.core.Progress.none()).run(suite, test, "test-model").report();
        assertEquals(List.of("twin.zip"), loaded);
        SuiteReport.AttackOutcome transfer = report.results().get(1);
        assertEquals("pgd (transfer)", transfer.attack());
        assertEquals("twin.zip", transfer.parameters().get("surrogate"));
        assertEquals(0.0, transfer.meanQueries(), "a transfer attack never queries the evaluated model");
        SuiteReport.SanityCheck blackBox = SuiteFixtures.check(report, "black-box-vs-white-box");
        assertTrue(blackBox.detail().startsWith("pgd (transfer) broke"), blackBox.detail());
    }

    @Test
    void theGateHoldsTheWorstCaseAndEachAttackToItsBar() {
        SuiteReport report = run(deterministic(true, ""));
        double worst = report.worstCase().get(1).robustAccuracy();
        assertTrue(worst > 0.05 && worst < 0.95, "a bar can sit on either side: " + worst);
        assertTrue(report.gate().passed(), "no bars, no failure");
        String bars = deterministic(true, "").replace("eps: 0.15\n", "eps: 0.15\n    fail_under: %s\n");
        SuiteReport below = run(bars.formatted(worst + 0.01));
        assertFalse(below.gate().passed());
        assertEquals(1, below.gate().thresholds().size());
        assertEquals(worst, below.gate().thresholds().get(0).value(), 1e-12);
        assertTrue(run(bars.formatted(worst)).gate().passed(), "the bar is inclusive");
        SuiteReport perAttack = run(deterministic(true, "").replace("- {attack: fgsm}", "- {attack: fgsm, fail_under: 1.0}"));
        assertFalse(perAttack.gate().passed());
        assertEquals("fgsm linf eps 0.15", perAttack.gate().thresholds().get(0).what());
        SuiteReport barred = SuiteFixtures.run(model, SuiteFixtures.suite(deterministic(true, "")).withFailUnder(0.0), test).report();
        assertTrue(barred.gate().passed());
        assertEquals(1, barred.gate().thresholds().size());
    }

    @Test
    void aSanityWarningFailsTheGateOnlyWhenAskedTo() {
        DifferentiableClassifier saturated = SuiteFixtures.saturated(net, 1000);
        String yaml = deterministic(true, "").replace("sanity: {enabled: false}", "sanity: {limit: 20, steps: 2, fail_on_warning: %s}");
        SuiteReport lenient = SuiteFixtures.run(saturated, SuiteFixtures.suite(yaml.formatted(false)), test).report();
        assertTrue(lenient.gate().sanityWarnings() > 0);
        assertTrue(lenient.gate().passed());
        SuiteReport strict = SuiteFixtures.run(saturated, SuiteFixtures.suite(yaml.formatted(true)), test).report();
        assertFalse(strict.gate().passed());
    }

    @Test
    void adaptiveAttacksTakeBackTheRobustnessThatEachDefenceSeemsToAdd() {
        SuiteReport report = run("""
                data: {limit: 40}
                batch_size: 40
                threats:
                  - norm: linf
                    eps: 0.15
                    attacks: [{attack: fgsm}]
                sanity: {enabled: false}
                defences:
                  limit: 40
                  attack: pgd
                  steps: 10
                  eot_samples: 8
                  apply:
                    - {type: bit-depth, bits: 2}
                    - {type: median, size: 3}
                    - {type: jpeg, quality: 30}
                    - {type: gaussian-noise, sigma: 0.4}
                    - {type: resize-pad, min_size: 27}
                """);
        assertEquals(6, report.defences().size());
        SuiteReport.DefenceOutcome none = report.defences().get(0);
        assertEquals("none", none.defence());
        for (SuiteReport.DefenceOutcome d : report.defences().subList(1, 6)) {
            assertEquals(d.defence().startsWith("gaussian") || d.defence().startsWith("resize") ? "eot" : "bpda", d.adaptive());
            assertTrue(d.adaptiveRobustAccuracy() <= Math.min(d.naiveRobustAccuracy(), d.adaptiveAloneRobustAccuracy()),
                    "robust against the adaptive attacker means robust against both attacks: " + d);
            assertTrue(d.adaptiveRobustAccuracy() < d.naiveRobustAccuracy(), "the adaptive attacker takes robustness back: " + d);
        }
        // Quantisation and JPEG have zero gradients: the naive attack finds nothing, BPDA most of what the bare model gives up.
        for (int i : new int[] {1, 3}) {
            SuiteReport.DefenceOutcome d = report.defences().get(i);
            assertTrue(d.naiveRobustAccuracy() > none.naiveRobustAccuracy() + 0.2, d.toString());
            assertTrue(d.adaptiveAloneRobustAccuracy() < d.naiveRobustAccuracy() - 0.2, d.toString());
        }
        // Against Gaussian noise, EOT alone beats single draws.
        SuiteReport.DefenceOutcome noise = report.defences().get(4);
        assertTrue(noise.adaptiveAloneRobustAccuracy() < noise.naiveRobustAccuracy(), noise.toString());
    }
}
