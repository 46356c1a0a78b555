package dev.advtrain.core.eval.suite;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.TransferAttack;
import dev.advtrain.core.Progress;
import dev.advtrain.core.Seeds;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.eval.AdversarialExamples;
import dev.advtrain.core.eval.AttackDescription;
import dev.advtrain.core.eval.AttackRunner;
import dev.advtrain.core.eval.Targeting;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Evaluates the suite's input-preprocessing defences: each defended model, as deployed, is attacked
 * once through the naive attacker's view and once through the adaptive one ({@link Defence}), with
 * the same attack at the first threat model's headline eps. The adaptive robust accuracy counts an
 * image only if both attacks failed on it (an adaptive attacker keeps whichever works), so the report
 * shows how much of the apparent robustness survives. The first row is the model without a defence
 * under the same attack.
 */
final class DefenceEvaluation {

    private static final java.util.Set<String> STRENGTH = java.util.Set.of("steps", "iterations", "step_size", "restarts", "loss", "queries");

    private final DifferentiableClassifier model;
    private final SuiteConfig suite;
    private final Progress progress;

    DefenceEvaluation(DifferentiableClassifier model, SuiteConfig suite, Progress progress) {
        this.model = model;
        this.suite = suite;
        this.progress = progress;
    }

    List<SuiteReport.DefenceOutcome> run(LabeledImages sample) {
        SuiteConfig.Defences config = suite.defences();
        if (config.apply().isEmpty()) {
            return List.of();
        }
        SuiteConfig.Threat threat = suite.threats().get(0);
        LabeledImages images = sample.first(config.limit());
        List<SuiteReport.DefenceOutcome> out = new ArrayList<>();
        long seed = Seeds.derive(suite.seed(), "defences", 0);
        Attack<? super DifferentiableClassifier> attack = config.attackEntry().create(threat.eps(), threat.toNorm(), seed);
        String described = describe(attack) + " seed=" + seed;
        long started = System.nanoTime();
        AdversarialExamples bare = new AttackRunner(attack, model, progress).run(images, Targeting.untargeted(), suite.batchSize());
        out.add(new SuiteReport.DefenceOutcome("none", "-", described, threat.norm(), threat.eps(), images.size(),
                bare.cleanAccuracy(), bare.robustAccuracy(), bare.robustAccuracy(), bare.robustAccuracy(),
                (System.nanoTime() - started) / 1e9));
        for (int i = 0; i < config.apply().size(); i++) {
            Defence defence = Defence.of(config.apply().get(i));
            long base = Seeds.derive(suite.seed(), "defence/" + defence.description(), i);
            DifferentiableClassifier deployed = defence.deployed(model, Seeds.derive(base, "deployed", 0));
            started = System.nanoTime();
            AdversarialExamples naive = new AttackRunner(
                    new TransferAttack(defence.naiveView(model, Seeds.derive(base, "naive", 0)), attack), deployed, progress)
                    .run(images, Targeting.untargeted(), suite.batchSize());
            DifferentiableClassifier adaptiveView = defence.adaptiveView(model, config.eotSamples(), Seeds.derive(base, "adaptive", 0));
            AdversarialExamples adaptive = new AttackRunner(new TransferAttack(adaptiveView, attack), deployed, progress)
                    .run(images, Targeting.untargeted(), suite.batchSize());
            out.add(new SuiteReport.DefenceOutcome(defence.description(), defence.adaptive(), described, threat.norm(),
                    threat.eps(), images.size(), naive.cleanAccuracy(), naive.robustAccuracy(), robustUnderBoth(naive, adaptive),
                    adaptive.robustAccuracy(), (System.nanoTime() - started) / 1e9));
        }
        return out;
    }

    /**
     * Share of the images that survive both attacks: the adaptive attacker tries the naive pipeline
     * gradient and the BPDA or EOT one and keeps, per image, whichever broke it.
     */
    static double robustUnderBoth(AdversarialExamples naive, AdversarialExamples adaptive) {
        int robust = 0;
        for (int i = 0; i < naive.size(); i++) {
            int y = naive.label(i);
            robust += naive.cleanPrediction(i) == y && naive.adversarialPrediction(i) == y
                    && adaptive.cleanPrediction(i) == y && adaptive.adversarialPrediction(i) == y ? 1 : 0;
        }
        return naive.size() == 0 ? Double.NaN : (double) robust / naive.size();
    }

    /** The attack with the parameters that set its strength, e.g. {@code pgd steps=40 step_size=0.025 restarts=1}. */
    private static String describe(Attack<?> attack) {
        Map<String, Object> p = AttackDescription.parameters(attack);
        return attack.name() + p.entrySet().stream().filter(e -> STRENGTH.contains(e.getKey()))
                .map(e -> " " + e.getKey() + "=" + format(e.getValue())).collect(Collectors.joining());
    }

    private static String format(Object value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(value);
    }
}
