package dev.advtrain.core.eval.suite;

import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.advtrain.core.config.DatasetName;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.advtrain.attacks.Attack;
import dev.advtrain.attacks.AttackCatalog;
import dev.advtrain.attacks.AttackParams;
import dev.advtrain.attacks.DifferentiableClassifier;
import dev.advtrain.attacks.Losses;
import dev.advtrain.attacks.Norm;
import dev.advtrain.attacks.Norms;
import dev.advtrain.attacks.StepSize;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An evaluation suite ({@code configs/eval-*.yaml}): which attacks, under which threat models and
 * budgets, on how many test images, with which sanity checks, defences and pass bars. Every key is
 * optional; {@code configs/eval-mnist-quick.yaml} documents them with their defaults. The default
 * suite is APGD-CE (50 iterations) then Square (250 queries) under L-inf at eps 0.1 on 500 images,
 * with the sanity checks.
 *
 * <pre>{@code
 * SuiteConfig suite = SuiteConfig.load(Path.of("configs/eval-mnist-linf.yaml"), List.of("data.limit=200"));
 * }</pre>
 *
 * @param name the suite's name, used in the report; letters, digits, '.', '_' or '-'
 * @param seed the one seed every attack's random choices derive from
 * @param data which test images
 * @param batchSize images per attack batch ({@code batch_size})
 * @param cascade AutoAttack's order: each attack runs only on the images that survived the attacks
 *     before it at the same eps (the worst case is the same, and much cheaper; an attack's own robust
 *     accuracy then includes the earlier attacks); false runs every attack on every image
 * @param threats the threat models, each a norm with its budgets and attacks
 * @param sanity the automatic checks of the evaluation
 * @param defences input-preprocessing defences to evaluate naively and adaptively
 * @param examples adversarial examples shown per threat model in the report's grids
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SuiteConfig(
        @JsonProperty("name") String name,
        @JsonProperty("seed") long seed,
        @JsonProperty("data") Data data,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("cascade") boolean cascade,
        @JsonProperty("threats") List<Threat> threats,
        @JsonProperty("sanity") Sanity sanity,
        @JsonProperty("defences") Defences defences,
        @JsonProperty("examples") int examples) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    @JsonCreator
    static SuiteConfig fromYaml(
            @JsonProperty("name") String name,
            @JsonProperty("seed") Long seed,
            @JsonProperty("data") Data data,
            @JsonProperty("batch_size") Integer batchSize,
            @JsonProperty("cascade") Boolean cascade,
            @JsonProperty("threats") List<Threat> threats,
            @JsonProperty("sanity") Sanity sanity,
            @JsonProperty("defences") Defences defences,
            @JsonProperty("examples") Integer examples) {
        return new SuiteConfig(requireNonNullElse(name, "default"), requireNonNullElse(seed, 0L),
                requireNonNullElse(data, Data.fromYaml(null, null, null)), requireNonNullElse(batchSize, 250),
                requireNonNullElse(cascade, true), requireNonNullElse(threats, List.of(Threat.DEFAULT)),
                requireNonNullElse(sanity, Sanity.fromYaml(null, null, null, null, null)),
                requireNonNullElse(defences, Defences.fromYaml(null, null, null, null, null, null)),
                requireNonNullElse(examples, 16));
    }

    /**
     * @param dataset what {@code dir} holds: {@code mnist} (default), {@code idx}, {@code cifar10},
     *     {@code folder} or {@code auto}; the evaluation detects the kind of any directory but the
     *     default MNIST one and reports what it found
     * @param dir the dataset directory, or null for the default ({@code data/mnist} or {@code ADVTRAIN_DATA_DIR})
     * @param limit the first this many test images; every attack sees the same ones; 0 = all
     */
    public record Data(
            @JsonProperty("dataset") String dataset,
            @JsonProperty("dir") String dir,
            @JsonProperty("limit") int limit) {

        @JsonCreator
        static Data fromYaml(@JsonProperty("dataset") String dataset, @JsonProperty("dir") String dir,
                @JsonProperty("limit") Integer limit) {
            return new Data(requireNonNullElse(dataset, "mnist"), dir, requireNonNullElse(limit, 500));
        }
    }

    /**
     * A threat model: a norm, the budgets of the robust-accuracy curve, and the attacks.
     *
     * @param norm {@code linf}, {@code l2}, {@code l1} or {@code l0}
     * @param eps the headline budget: the gate, per-class numbers, example grids and sanity checks use it
     * @param epsilons further budgets for the curve; the headline eps is always on it
     * @param failUnder the gate: worst-case robust accuracy at the headline eps must be at least this
     *     ({@code fail_under}); null = no bar
     * @param attacks the attacks, in order (the cascade's order)
     */
    public record Threat(
            @JsonProperty("norm") String norm,
            @JsonProperty("eps") Double eps,
            @JsonProperty("epsilons") List<Double> epsilons,
            @JsonProperty("fail_under") Double failUnder,
            @JsonProperty("attacks") List<AttackEntry> attacks) {

        static final Threat DEFAULT = fromYaml(null, null, null, null, null);

        @JsonCreator
        static Threat fromYaml(@JsonProperty("norm") String norm, @JsonProperty("eps") Double eps,
                @JsonProperty("epsilons") List<Double> epsilons, @JsonProperty("fail_under") Double failUnder,
                @JsonProperty("attacks") List<AttackEntry> attacks) {
            String n = requireNonNullElse(norm, "linf");
            Double headline = eps != null ? eps : n.equals("linf") && epsilons == null ? Double.valueOf(0.1) : null;
            List<AttackEntry> list = attacks != null ? attacks : List.of(
                    new AttackEntry("apgd-ce", 50, null, null, null, null, null, null, null),
                    new AttackEntry("square", null, null, null, null, null, 250, null, null));
            return new Threat(n, headline, requireNonNullElse(epsilons, List.of()), failUnder, list);
        }

        /** The threat model's norm. */
        public Norm toNorm() {
            return Norms.of(norm);
        }

        /** Every budget of the curve, the headline eps among them, increasing. */
        public List<Double> curve() {
            TreeSet<Double> all = new TreeSet<>(epsilons);
            all.add(eps);
            return List.copyOf(all);
        }
    }

    /**
     * An attack of the catalogue with its settings; unset keys take the attack's defaults.
     *
     * @param attack the catalogue name ({@code advtrain attack --help} lists them)
     * @param steps iterations
     * @param stepSize absolute step size ({@code step_size})
     * @param relStepSize step size as a multiple of eps ({@code rel_step_size})
     * @param restarts random restarts
     * @param loss {@code ce}, {@code margin} or {@code dlr}, where the attack takes a loss
     * @param queries query budget per image of a black-box attack
     * @param surrogate a model file: craft on it and judge on the evaluated model (a transfer attack)
     * @param failUnder the gate for this attack alone at the headline eps ({@code fail_under})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttackEntry(
            @JsonProperty("attack") String attack,
            @JsonProperty("steps") Integer steps,
            @JsonProperty("step_size") Double stepSize,
            @JsonProperty("rel_step_size") Double relStepSize,
            @JsonProperty("restarts") Integer restarts,
            @JsonProperty("loss") String loss,
            @JsonProperty("queries") Integer queries,
            @JsonProperty("surrogate") String surrogate,
            @JsonProperty("fail_under") Double failUnder) {

        static AttackEntry named(String attack) {
            return new AttackEntry(attack, null, null, null, null, null, null, null, null);
        }

        /** The attack's parameters at {@code eps} under {@code norm}, inputs in [0, 1]. */
        public AttackParams params(double eps, Norm norm, long seed) {
            StepSize step = stepSize != null ? StepSize.absolute(stepSize)
                    : relStepSize != null ? StepSize.relative(relStepSize) : null;
            return new AttackParams(eps, norm, steps, step, restarts, loss == null ? null : Losses.of(loss), queries,
                    seed, 0.0, 1.0);
        }

        /** The attack at {@code eps} under {@code norm}, built by the catalogue; IllegalArgumentException for bad settings. */
        public Attack<? super DifferentiableClassifier> create(double eps, Norm norm, long seed) {
            return AttackCatalog.get(attack).create(params(eps, norm, seed));
        }

        /** The name shown in reports: the catalogue name, marked when crafted on a surrogate. */
        public String label() {
            return surrogate == null ? attack : attack + " (transfer)";
        }
    }

    /**
     * The automatic sanity checks.
     *
     * @param enabled whether to run them
     * @param limit images for the probe attacks (the first of the suite's images)
     * @param steps PGD steps of the probes; the "more steps" probe takes 4 times as many
     * @param tolerance slack in robust accuracy before an ordering that should hold counts as broken
     * @param failOnWarning whether a warning fails the gate ({@code fail_on_warning})
     */
    public record Sanity(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("limit") int limit,
            @JsonProperty("steps") int steps,
            @JsonProperty("tolerance") double tolerance,
            @JsonProperty("fail_on_warning") boolean failOnWarning) {

        @JsonCreator
        static Sanity fromYaml(@JsonProperty("enabled") Boolean enabled, @JsonProperty("limit") Integer limit,
                @JsonProperty("steps") Integer steps, @JsonProperty("tolerance") Double tolerance,
                @JsonProperty("fail_on_warning") Boolean failOnWarning) {
            return new Sanity(requireNonNullElse(enabled, true), requireNonNullElse(limit, 200),
                    requireNonNullElse(steps, 10), requireNonNullElse(tolerance, 0.02),
                    requireNonNullElse(failOnWarning, false));
        }
    }

    /**
     * Input-preprocessing defences, each put in front of the model and attacked at the first threat
     * model's headline eps: naively (differentiating the pipeline as it is) and adaptively (BPDA for
     * non-differentiable transforms, EOT for random ones).
     *
     * @param limit images attacked per defence (the first of the suite's images)
     * @param attack the attack of the catalogue used for both
     * @param steps its iterations
     * @param restarts its restarts
     * @param eotSamples gradient samples per step for random defences ({@code eot_samples})
     * @param apply the defences, e.g. {@code {type: bit-depth, bits: 3}}
     */
    public record Defences(
            @JsonProperty("limit") int limit,
            @JsonProperty("attack") String attack,
            @JsonProperty("steps") int steps,
            @JsonProperty("restarts") int restarts,
            @JsonProperty("eot_samples") int eotSamples,
            @JsonProperty("apply") List<DefenceEntry> apply) {

        @JsonCreator
        static Defences fromYaml(@JsonProperty("limit") Integer limit, @JsonProperty("attack") String attack,
                @JsonProperty("steps") Integer steps, @JsonProperty("restarts") Integer restarts,
                @JsonProperty("eot_samples") Integer eotSamples, @JsonProperty("apply") List<DefenceEntry> apply) {
            return new Defences(requireNonNullElse(limit, 200), requireNonNullElse(attack, "pgd"),
                    requireNonNullElse(steps, 40), requireNonNullElse(restarts, 1), requireNonNullElse(eotSamples, 10),
                    requireNonNullElse(apply, List.of()));
        }

        /** The attack used against every defence, as a suite entry. */
        public AttackEntry attackEntry() {
            return new AttackEntry(attack, steps, null, null, restarts, null, null, null, null);
        }
    }

    /**
     * One defence; only the keys of its type may be set.
     *
     * @param type {@code bit-depth} (bits), {@code median} (size), {@code gaussian-noise} (sigma),
     *     {@code jpeg} (quality) or {@code resize-pad} (min_size)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DefenceEntry(
            @JsonProperty("type") String type,
            @JsonProperty("bits") Integer bits,
            @JsonProperty("size") Integer size,
            @JsonProperty("sigma") Double sigma,
            @JsonProperty("quality") Integer quality,
            @JsonProperty("min_size") Integer minSize) {
    }

    /**
     * Reads, overrides and validates a suite.
     *
     * @param file the YAML file, or null for the default suite
     * @param overrides {@code key.path=value} strings ({@code --set})
     * @throws UserErrorException naming the file or override, the key and the problem
     */
    public static SuiteConfig load(Path file, List<String> overrides) {
        SuiteConfig suite = ConfigLoader.bind(file, overrides, SuiteConfig.class);
        suite.validate(file == null ? "suite" : file.toString());
        return suite;
    }

    /** This suite with every threat model's worst case held to {@code minimum} (the CLI's --fail-under). */
    public SuiteConfig withFailUnder(double minimum) {
        List<Threat> barred = threats.stream()
                .map(t -> new Threat(t.norm(), t.eps(), t.epsilons(), minimum, t.attacks())).toList();
        return new SuiteConfig(name, seed, data, batchSize, cascade, barred, sanity, defences, examples);
    }

    /** This suite reporting {@code dataset} (the kind of data found) as its dataset. */
    public SuiteConfig withDataset(String dataset) {
        return new SuiteConfig(name, seed, new Data(dataset, data.dir(), data.limit()), batchSize, cascade, threats,
                sanity, defences, examples);
    }

    /** The suite as YAML, every key spelled out: saved beside the report. */
    public String toYaml() {
        return "# advtrain resolved evaluation suite: every key with the value this evaluation used.\n"
                + ConfigLoader.yaml(this);
    }

    /** Checks every constraint; the first broken one is a user error naming its key. */
    public void validate(String source) {
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add("name: letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        try {
            DatasetName.of(data.dataset());
        } catch (IllegalArgumentException e) {
            problems.add("data.dataset: " + e.getMessage());
        }
        if (data.limit() < 0) {
            problems.add("data.limit: must be >= 0 (0 = all), got " + data.limit());
        }
        if (batchSize < 1) {
            problems.add("batch_size: must be >= 1, got " + batchSize);
        }
        if (examples < 0) {
            problems.add("examples: must be >= 0, got " + examples);
        }
        if (threats.isEmpty()) {
            problems.add("threats: give at least one threat model");
        }
        Set<String> norms = new TreeSet<>();
        for (int t = 0; t < threats.size(); t++) {
            checkThreat("threats[" + t + "]", threats.get(t), problems);
            if (!norms.add(threats.get(t).norm())) { // reports, charts and files are per norm
                problems.add("threats[" + t + "].norm: " + threats.get(t).norm()
                        + " has a threat model already; give one threat model per norm");
            }
        }
        if (sanity.limit() < 1 || sanity.steps() < 1) {
            problems.add("sanity: limit and steps must be >= 1, got " + sanity.limit() + " and " + sanity.steps());
        }
        if (!(sanity.tolerance() >= 0 && sanity.tolerance() < 1)) {
            problems.add("sanity.tolerance: must be in [0, 1), got " + sanity.tolerance());
        }
        checkDefences(problems);
        if (!problems.isEmpty()) {
            throw new UserErrorException(source + ": " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
    }

    private static void checkThreat(String key, Threat threat, List<String> problems) {
        Norm norm;
        try {
            norm = threat.toNorm();
        } catch (IllegalArgumentException e) {
            problems.add(key + ".norm: " + e.getMessage());
            return;
        }
        if (threat.eps() == null) {
            problems.add(key + ".eps: give the headline budget for the " + threat.norm() + " threat model");
            return;
        }
        for (double eps : threat.curve()) {
            if (!(eps >= 0) || Double.isInfinite(eps) || threat.norm().equals("linf") && eps > 1) {
                problems.add(key + ": eps must be finite and >= 0" + (threat.norm().equals("linf") ? " and <= 1" : "")
                        + ", got " + eps);
            }
        }
        failUnder(key + ".fail_under", threat.failUnder(), problems);
        if (threat.attacks().isEmpty()) {
            problems.add(key + ".attacks: give at least one attack");
        }
        Set<String> labels = new TreeSet<>();
        for (int a = 0; a < threat.attacks().size(); a++) {
            AttackEntry entry = threat.attacks().get(a);
            String at = key + ".attacks[" + a + "]";
            if (entry.attack() == null) {
                problems.add(at + ".attack: name the attack");
                continue;
            }
            if (!labels.add(entry.label())) {
                problems.add(at + ": " + entry.label() + " is listed twice under " + threat.norm());
            }
            if (entry.stepSize() != null && entry.relStepSize() != null) {
                problems.add(at + ": give step_size or rel_step_size, not both");
            }
            failUnder(at + ".fail_under", entry.failUnder(), problems);
            try {
                entry.create(threat.eps(), norm, 0L);
            } catch (IllegalArgumentException e) {
                problems.add(at + ": " + e.getMessage());
            }
        }
    }

    private void checkDefences(List<String> problems) {
        if (defences.apply().isEmpty()) {
            return;
        }
        if (defences.limit() < 1 || defences.steps() < 1 || defences.restarts() < 1 || defences.eotSamples() < 1) {
            problems.add("defences: limit, steps, restarts and eot_samples must be >= 1");
        }
        if (!threats.isEmpty() && threats.get(0).eps() != null) {
            Threat first = threats.get(0);
            try {
                defences.attackEntry().create(first.eps(), first.toNorm(), 0L);
            } catch (IllegalArgumentException e) {
                problems.add("defences.attack: " + e.getMessage());
            }
        }
        for (int i = 0; i < defences.apply().size(); i++) {
            try {
                Defence.of(defences.apply().get(i));
            } catch (IllegalArgumentException e) {
                problems.add("defences.apply[" + i + "]: " + e.getMessage());
            }
        }
    }

    private static void failUnder(String key, Double value, List<String> problems) {
        if (value != null && !(value >= 0 && value <= 1)) {
            problems.add(key + ": must be in [0, 1], got " + value);
        }
    }
}
