package dev.advtrain.core.eval;

import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.ProjectedGradientDescent;
import dev.advtrain.core.config.AttackConfig;

/** Builds attacks from their configuration. */
public final class Attacks {

    private Attacks() {
    }

    /** The configured attack at its own eps. */
    public static Attack<DifferentiableClassifier> create(AttackConfig config, long seed) {
        return create(config, config.eps(), seed);
    }

    /** The configured attack at {@code eps} (e.g. during an eps warm-up); a relative step follows eps. */
    public static Attack<DifferentiableClassifier> create(AttackConfig config, double eps, long seed) {
        return ProjectedGradientDescent.builder()
                .name(config.attack().id())
                .eps(eps)
                .steps(config.steps())
                .stepSize(config.toStepSize())
                .randomStart(config.randomStart())
                .restarts(config.restarts())
                .seed(seed)
                .build();
    }
}
