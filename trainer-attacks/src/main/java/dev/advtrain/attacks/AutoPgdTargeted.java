package dev.advtrain.attacks;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * APGD-T (Croce and Hein, "Reliable evaluation of adversarial robustness with an ensemble of
 * diverse parameter-free attacks", ICML 2020; {@code APGDAttack_targeted} of fra31/auto-attack): an
 * untargeted attack made of targeted ones. For each of the {@code targetClasses} classes ranked
 * highest by the clean logits after the top one (capped at C - 1; 9 in AutoAttack), it runs
 * {@link AutoPgd} ascending the targeted DLR loss {@link Losses#targetedDlr} towards that class,
 * {@code restarts} times, each run over the examples still classified correctly. Success means
 * misclassification; per example the first successful run's point is kept.
 *
 * <p>White-box, L-inf or L2; needs at least 4 classes. Built by {@link AutoPgd.Builder#buildTargeted}
 * with every APGD parameter and its default (100 iterations, rho 0.75, momentum 0.75, initial step
 * 2 eps). Costs per unbroken example {@code 1 + targetClasses * restarts * (iterations + 1)}
 * gradient passes. Under a targeted criterion, whose target is given, it descends the DLR loss of the
 * target ({@code restarts} runs), as {@link AutoPgd} with {@link Losses#dlr} does.
 *
 * <pre>{@code
 * Attack<DifferentiableClassifier> apgdT = AutoPgd.builder().eps(8 / 255.0).buildTargeted(9);
 * double robust = 1 - apgdT.generate(Classifiers.of(net), x, Criterion.untargeted(y)).successRate();
 * }</pre>
 */
public final class AutoPgdTargeted extends Attack<DifferentiableClassifier> {

    private final ApgdSearch.Settings settings;
    private final int restarts;
    private final int targetClasses;
    private final long seed;

    /** APGD-T with the builder's settings (its name defaulting to "apgd-t"); see {@link AutoPgd.Builder#buildTargeted}. */
    AutoPgdTargeted(AutoPgd.Builder b, int targetClasses) {
        super(b.name != null ? b.name : "apgd-t", b.norm, b.eps, b.clipMin, b.clipMax);
        requireNorm("APGD-T", "linf", "l2");
        if (targetClasses < 1) {
            throw new IllegalArgumentException("targetClasses must be >= 1, got " + targetClasses);
        }
        this.settings = b.settings();
        this.restarts = b.restarts;
        this.targetClasses = targetClasses;
        this.seed = b.seed;
    }

    /** The catalogue's APGD-T from parameters (steps are iterations, restarts per target class); no loss may be set. */
    static AutoPgdTargeted catalogued(AttackParams p) {
        if (p.loss() != null) {
            throw new IllegalArgumentException("apgd-t ascends the targeted DLR loss, not " + p.loss().id());
        }
        return AutoPgd.builder().from(p).buildTargeted();
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        int classes = model.numClasses();
        if (classes < 4) {
            throw new IllegalArgumentException("APGD-T's targeted DLR loss needs at least 4 classes, the model has " + classes);
        }
        ApgdSearch search = new ApgdSearch(model, x, criterion, settings, this::constrain, queries, seed);
        if (criterion instanceof Criterion.Targeted) {
            for (int r = 0; r < restarts; r++) {
                search.run(rows -> Losses.dlr());
            }
            return search.result();
        }
        int[][] ranked = byLogitDescending(Losses.rows(search.cleanLogits()));
        for (int rank = 1; rank <= Math.min(targetClasses, classes - 1); rank++) {
            int position = rank;
            for (int r = 0; r < restarts; r++) {
                search.run(rows -> Losses.targetedDlr(oneHot(rows, ranked, position, classes)));
            }
        }
        return search.result();
    }

    /** Per batch row, the class at {@code position} of its ranking, one-hot [rows, C]. */
    private static INDArray oneHot(int[] rows, int[][] ranked, int position, int classes) {
        INDArray targets = Nd4j.zeros(rows.length, classes);
        for (int j = 0; j < rows.length; j++) {
            targets.putScalar(j, ranked[rows[j]][position], 1.0);
        }
        return targets;
    }

    private static int[][] byLogitDescending(double[][] logits) {
        int[][] ranked = new int[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            double[] z = logits[i];
            ranked[i] = IntStream.range(0, z.length).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> -z[j]).thenComparingInt(j -> j))
                    .mapToInt(Integer::intValue).toArray();
        }
        return ranked;
    }

    /** Target classes tried per example (capped at C - 1 when run). */
    public int targetClasses() {
        return targetClasses;
    }

    /** Runs per target class. */
    public int restarts() {
        return restarts;
    }

    /** Iterations per run. */
    public int iterations() {
        return settings.iterations();
    }
}
