package dev.advtrain.attacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Every attack of the library by name, built from {@link AttackParams}: what the command line's
 * {@code --attack NAME} and evaluation suites look up. Names are lower-case with dashes, as in the
 * docs' catalogue table (docs/attacks.md).
 */
public final class AttackCatalog {

    /**
     * One attack of the catalogue.
     *
     * @param name the name users type
     * @param summary one line: method, paper, threat model
     * @param norms ids of the norms it supports
     * @param factory builds it; throws IllegalArgumentException for unsupported parameters
     */
    public record Entry(String name, String summary, Set<String> norms,
            Function<AttackParams, Attack<? super DifferentiableClassifier>> factory) {

        /** Builds the attack, after checking that its norm is supported. */
        public Attack<? super DifferentiableClassifier> create(AttackParams params) {
            if (!norms.contains(params.norm().id())) {
                throw new IllegalArgumentException(name + " supports norms " + String.join(", ", norms)
                        + ", not " + params.norm().id());
            }
            return factory.apply(params);
        }
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add(new Entry("fgsm", "Fast gradient sign method (Goodfellow et al. 2015): one step of size eps; white-box",
                Set.of("linf", "l2", "l1"), p -> ProjectedGradientDescent.builder().name("fgsm").norm(p.norm())
                        .eps(p.eps()).steps(1).stepSize(StepSize.relative(1.0)).randomStart(false).loss(p.loss())
                        .clip(p.clipMin(), p.clipMax()).seed(p.seed()).build()));
        add(new Entry("fgsm-rs", "FGSM from a uniform random start, step 1.25 eps (Wong et al. 2020); white-box",
                Set.of("linf", "l2", "l1"), p -> ProjectedGradientDescent.builder().name("fgsm-rs").norm(p.norm())
                        .eps(p.eps()).steps(1).stepSize(p.stepSizeOr(StepSize.relative(1.25))).randomStart(true)
                        .loss(p.loss()).clip(p.clipMin(), p.clipMax()).seed(p.seed()).build()));
        add(new Entry("bim", "Basic iterative method / I-FGSM (Kurakin et al. 2017): 10 steps of eps/4 from x; white-box",
                Set.of("linf", "l2", "l1"), p -> ProjectedGradientDescent.bimBuilder().norm(p.norm()).eps(p.eps())
                        .steps(p.stepsOr(10)).stepSize(p.stepSizeOr(StepSize.relative(0.25))).loss(p.loss())
                        .clip(p.clipMin(), p.clipMax()).build()));
        add(new Entry("pgd", "Projected gradient descent with random start and restarts (Madry et al. 2018); white-box",
                Set.of("linf", "l2", "l1"), p -> ProjectedGradientDescent.builder().norm(p.norm()).eps(p.eps())
                        .steps(p.stepsOr(10)).stepSize(p.stepSizeOr(StepSize.relative(0.25)))
                        .restarts(p.restartsOr(1)).loss(p.loss()).clip(p.clipMin(), p.clipMax()).seed(p.seed()).build()));
        add(new Entry("mi-fgsm", "Momentum iterative FGSM (Dong et al. 2018): decay 1.0, 10 steps of eps/steps; white-box",
                Set.of("linf", "l2"), p -> MomentumIterativeAttack.builder().norm(p.norm()).eps(p.eps())
                        .steps(p.stepsOr(10)).stepSize(p.stepSize()).loss(p.loss())
                        .clip(p.clipMin(), p.clipMax()).build()));
        add(new Entry("apgd-ce", "Auto-PGD on cross-entropy, step-size schedule with checkpoints (Croce and Hein 2020); white-box",
                Set.of("linf", "l2"), p -> AutoPgd.catalogued(p, Losses.crossEntropy())));
        add(new Entry("apgd-dlr", "Auto-PGD on the DLR loss, scale-invariant (Croce and Hein 2020); white-box",
                Set.of("linf", "l2"), p -> AutoPgd.catalogued(p, Losses.dlr())));
        add(new Entry("apgd-t", "APGD-T: targeted DLR towards the top-9 other classes, untargeted success (Croce and Hein 2020); white-box",
                Set.of("linf", "l2"), AutoPgdTargeted::catalogued));
        add(new Entry("cw", "Carlini-Wagner L2 (Carlini and Wagner 2017): minimal L2 perturbation, binary search over c; "
                + "steps = Adam iterations per search step, step size = Adam learning rate; white-box", Set.of("l2"),
                p -> CarliniWagnerL2.builder().eps(p.eps()).maxIterations(p.stepsOr(100))
                        .learningRate(absolute(p.stepSize(), 0.01, "cw's step size is its Adam learning rate"))
                        .clip(p.clipMin(), p.clipMax()).build()));
        add(new Entry("deepfool", "DeepFool (Moosavi-Dezfooli et al. 2016): steps to the nearest linearised boundary, "
                + "untargeted; steps = max iterations; white-box", Set.of("linf", "l2"),
                p -> DeepFool.builder().norm(p.norm()).eps(p.eps()).maxIterations(p.stepsOr(50))
                        .clip(p.clipMin(), p.clipMax()).build()));
        add(new Entry("square", "Square Attack (Andriushchenko et al. 2020): random search with square windows; "
                + "score-based black box, queries = budget per example (default 1000)",
                Set.of("linf", "l2"), p -> SquareAttack.builder().norm(p.norm()).eps(p.eps())
                        .queries(p.queriesOr(1000)).clip(p.clipMin(), p.clipMax()).seed(p.seed()).build()));
        add(new Entry("hsj", "HopSkipJump (Chen et al. 2020): boundary walk from labels only; decision-based black "
                + "box, queries = budget per example (default 1000)",
                Set.of("linf", "l2"), p -> HopSkipJump.builder().norm(p.norm()).eps(p.eps())
                        .queries(p.queriesOr(1000)).clip(p.clipMin(), p.clipMax()).seed(p.seed()).build()));
        add(new Entry("uap", "Universal adversarial perturbation (Moosavi-Dezfooli et al. 2017), fitted by SGD as in "
                + "Shafahi et al. 2020: one delta for the whole batch; steps = epochs; white-box",
                Set.of("linf", "l2"), p -> UniversalPerturbation.builder().norm(p.norm()).eps(p.eps())
                        .epochs(p.stepsOr(10)).stepSize(p.stepSizeOr(StepSize.relative(0.1)))
                        .loss(p.lossOr(Losses.crossEntropy())).clip(p.clipMin(), p.clipMax()).seed(p.seed()).build()));
        add(new Entry("patch", "Adversarial patch (Brown et al. 2017) at random positions, scales and rotations; "
                + "eps = largest share of the image covered (l0); steps = training steps; white-box",
                Set.of("l0"), p -> AdversarialPatch.builder().share(p.eps()).steps(p.stepsOr(200))
                        .stepSize(p.stepSizeOr(StepSize.relative(0.02)).resolve(p.clipMax() - p.clipMin()))
                        .loss(p.lossOr(Losses.crossEntropy())).clip(p.clipMin(), p.clipMax()).seed(p.seed()).build()));
    }

    private AttackCatalog() {
    }

    /** An absolute step size's value, or {@code fallback} when none is given. */
    private static double absolute(StepSize stepSize, double fallback, String what) {
        if (stepSize == null) {
            return fallback;
        }
        if (stepSize.relative()) {
            throw new IllegalArgumentException(what + ": give it as an absolute value, not relative to eps");
        }
        return stepSize.value();
    }

    private static void add(Entry entry) {
        if (ENTRIES.put(entry.name(), entry) != null) {
            throw new IllegalStateException("two attacks named " + entry.name());
        }
    }

    /** The attack of this name; IllegalArgumentException listing the names when there is none. */
    public static Entry get(String name) {
        Entry entry = ENTRIES.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown attack '" + name + "'; known: " + String.join(", ", names()));
        }
        return entry;
    }

    /** All names, in catalogue order. */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(ENTRIES.keySet()));
    }

    /** All entries, in catalogue order. */
    public static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }
}
