package dev.advtrain.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every constraint on a {@link RunConfig}, in one place and in the order of the YAML. Each broken
 * rule becomes a {@link Problem} whose message names the key path, the rule and the value found.
 */
final class ConfigValidator {

    /**
     * One broken rule.
     *
     * @param keys the key paths involved, the first being the one reported
     * @param message one line starting with the key path
     */
    record Problem(List<String> keys, String message) {}

    private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final List<Problem> problems = new ArrayList<>();

    private ConfigValidator() {}

    /** The broken rules of {@code c}, empty when it is valid. */
    static List<Problem> check(RunConfig c) {
        ConfigValidator v = new ConfigValidator();
        v.checkRun(c);
        return List.copyOf(v.problems);
    }

    private void checkRun(RunConfig c) {
        if (!RUN_NAME.matcher(c.name()).matches() || c.name().equals(".") || c.name().equals("..")) {
            fail("name", "name must be letters, digits, '.', '_' or '-' (it names the run directory), got '"
                    + c.name() + "'");
        }

        DataConfig d = c.data();
        notBlank("data.dir", d.dir());
        atLeast("data.train_limit", d.trainLimit(), 0);
        atLeast("data.validation_size", d.validationSize(), 0);
        atLeast("data.test_limit", d.testLimit(), 0);
        atLeast("data.image.height", d.image().height(), 1);
        atLeast("data.image.width", d.image().width(), 1);
        if (d.image().channels() != 1 && d.image().channels() != 3) {
            fail("data.image.channels", "data.image.channels must be 1 (grey) or 3 (RGB), got " + d.image().channels());
        }
        if (!(d.testFraction() > 0 && d.testFraction() < 1)) {
            fail("data.test_fraction", "data.test_fraction must be in (0, 1), got " + num(d.testFraction()));
        }

        checkModel(c.model());
        checkFinetune(c.finetune(), c.model());

        TrainingConfig t = c.training();
        atLeast("training.epochs", t.epochs(), 1);
        atLeast("training.batch_size", t.batchSize(), 1);
        positive("training.learning_rate", t.learningRate());
        if (!(t.lrDecay() > 0 && t.lrDecay() <= 1)) {
            fail("training.lr_decay", "training.lr_decay must be in (0, 1], got " + num(t.lrDecay()));
        }
        checkMilestones(t);
        atLeast("training.weight_decay", t.weightDecay(), 0);
        if (!(t.lrPeak() > 0 && t.lrPeak() < 1)) {
            fail("training.lr_peak", "training.lr_peak must be in (0, 1), got " + num(t.lrPeak()));
        }
        if (!(t.emaDecay() >= 0 && t.emaDecay() < 1)) {
            fail("training.ema_decay", "training.ema_decay must be in [0, 1) (0 = no weight averaging), got "
                    + num(t.emaDecay()));
        }

        AdversarialConfig a = c.adversarial();
        checkRecipe(a);
        checkAttack("adversarial", a.trainingAttack());
        atLeast("adversarial.eps_warmup_epochs", a.epsWarmupEpochs(), 0);
        double fraction = a.mixing().fraction();
        if (!(fraction >= 0 && fraction <= 1)) {
            fail("adversarial.mixing.fraction", "adversarial.mixing.fraction must be in [0, 1], got " + num(fraction));
        }
        atLeast("adversarial.mixing.ratio", a.mixing().ratio(), 0);

        checkAttack("validation", c.validation());

        atLeast("evaluation.clean_limit", c.evaluation().cleanLimit(), 0);
        List<AttackConfig> attacks = c.evaluation().attacks();
        for (int i = 0; i < attacks.size(); i++) {
            checkAttack("evaluation.attacks[" + i + "]", attacks.get(i));
        }

        checkGuards(c.guards());

        notBlank("output.runs_dir", c.output().runsDir());

        checkDistributed(c);
    }

    /** The {@code distributed:} keys, and what a run on Spark cannot do. */
    private void checkDistributed(RunConfig c) {
        DistributedConfig d = c.distributed();
        atLeast("distributed.workers", d.workers(), 0);
        atLeast("distributed.averaging_frequency", d.averagingFrequency(), 1);
        atLeast("distributed.batch_per_worker", d.batchPerWorker(), 0);
        if (!d.enabled()) {
            return;
        }
        if (d.master().strip().contains(" ")) {
            fail("distributed.master", "distributed.master must be a Spark master URL such as local[2] or"
                    + " spark://host:7077, got '" + d.master() + "'");
        }
        Recipe r = c.adversarial().recipe();
        if (!r.mixes()) {
            fail("adversarial.recipe", "adversarial.recipe " + r.id() + " cannot train on Spark (distributed.master is"
                    + " set): it needs its own optimiser steps or loss; use pgd-at, fast-at or n-fgsm, or train locally",
                    "distributed.master");
        }
        if (c.training().emaDecay() > 0) {
            fail("training.ema_decay", "training.ema_decay must be 0 on Spark (distributed.master is set): the"
                    + " workers' averaged updates reach the driver once per round, got " + num(c.training().emaDecay()),
                    "distributed.master");
        }
        if (c.guards().collapse().every() > 0) {
            fail("guards.collapse.every", "guards.collapse.every must be 0 on Spark (distributed.master is set): the"
                    + " driver checks robust accuracy after each epoch, got " + c.guards().collapse().every(),
                    "distributed.master");
        }
    }

    private void checkRecipe(AdversarialConfig a) {
        Recipe r = a.recipe();
        if (!r.accepts(a.attack())) {
            fail("adversarial.attack", "adversarial.attack must be " + (r == Recipe.FAST_AT ? "fgsm-rs or fgsm"
                    : r.defaultAttack().id()) + " for recipe " + r.id() + ", got " + a.attack().id()
                    + " (or leave it out)", "adversarial.recipe");
        }
        if (!r.mixes() && a.mixing().policy() != MixingPolicy.ADVERSARIAL_ONLY) {
            fail("adversarial.mixing.policy", "adversarial.mixing.policy must be adversarial-only for recipe "
                    + r.id() + ", which trains on every batch's adversarial version, got " + a.mixing().policy()
                    + " (or leave mixing out)", "adversarial.recipe");
        }
        if (r == Recipe.TRADES && a.restarts() != 1) {
            fail("adversarial.restarts", "adversarial.restarts must be 1 for recipe trades, got " + a.restarts(),
                    "adversarial.recipe");
        }
        atLeast("adversarial.replays", a.replays(), 1);
        positive("adversarial.beta", a.beta());
        atLeast("adversarial.noise", a.noise(), 0);
    }

    private void checkModel(ModelConfig m) {
        if (!(m.dropout() >= 0 && m.dropout() < 1)) {
            fail("model.dropout", "model.dropout must be in [0, 1), got " + num(m.dropout()));
        }
        if (!(m.width() > 0 && m.width() <= 16)) {
            fail("model.width", "model.width must be in (0, 16], got " + num(m.width()));
        } else if (m.width() != 1.0 && (m.zoo() != null || m.fromFile())) {
            fail("model.width", "model.width scales advtrain's own architectures (model.arch); a "
                    + (m.zoo() != null ? "zoo architecture" : "model file") + " keeps its widths, so leave it at 1",
                    m.zoo() != null ? "model.zoo" : "model.file");
        }
        if (m.zoo() != null && m.fromFile()) {
            fail("model.zoo", "model.zoo and model.file are two different starting points; give one", "model.file");
        }
        if (m.zoo() != null && m.zoo().isBlank()) {
            fail("model.zoo", "model.zoo must name a zoo architecture, got an empty name");
        }
        ModelConfig.Normalize n = m.normalize();
        if (n != null) {
            if (n.mean().isEmpty() || n.mean().size() != n.std().size()) {
                fail("model.normalize", "model.normalize needs mean and std lists of the same length, one value per"
                        + " channel, got " + n.mean().size() + " and " + n.std().size());
            }
            for (double s : n.std()) {
                if (!(s > 0) || !Double.isFinite(s)) {
                    fail("model.normalize.std", "model.normalize.std values must be > 0, got " + n.std());
                    break;
                }
            }
        }
    }

    private void checkFinetune(FinetuneConfig f, ModelConfig m) {
        atLeast("finetune.freeze", f.freeze(), 0);
        atLeast("finetune.learning_rate", f.learningRate(), 0);
        if (f.freeze() > 0 && f.freezeUpTo() != null) {
            fail("finetune.freeze_up_to", "finetune.freeze_up_to and finetune.freeze both say which layers to"
                    + " freeze; give one", "finetune.freeze");
        }
        // learning_rate may wait in a config for the model that `advtrain finetune --model` brings
        boolean changesLayers = f.freeze() > 0 || f.freezeUpTo() != null || f.replaceOutput();
        if (changesLayers && !m.fromFile()) {
            fail("finetune", "finetune.freeze, freeze_up_to and replace_output apply to a model you start from; set"
                    + " model.file (or use advtrain finetune --model FILE)", "model.file");
        }
    }

    private void checkGuards(GuardsConfig g) {
        GuardsConfig.Collapse co = g.collapse();
        atLeast("guards.collapse.every", co.every(), 0);
        atLeast("guards.collapse.images", co.images(), 1);
        if (!(co.drop() > 0 && co.drop() <= 1)) {
            fail("guards.collapse.drop", "guards.collapse.drop must be in (0, 1], got " + num(co.drop()));
        }
        if (!(co.stepFactor() > 0 && co.stepFactor() < 1)) {
            fail("guards.collapse.step_factor", "guards.collapse.step_factor must be in (0, 1), got "
                    + num(co.stepFactor()));
        }
        atLeast("guards.collapse.max_collapses", co.maxCollapses(), 1);
        atLeast("guards.early_stopping", g.earlyStopping(), 0);
    }

    private void checkMilestones(TrainingConfig t) {
        List<Integer> milestones = t.lrMilestones();
        if (t.lrSchedule() == LrSchedule.STEP && milestones.isEmpty()) {
            fail("training.lr_milestones", "training.lr_milestones must list at least one epoch for lr_schedule step",
                    "training.lr_schedule");
        }
        for (int i = 0; i < milestones.size(); i++) {
            if (milestones.get(i) < 1 || (i > 0 && milestones.get(i) <= milestones.get(i - 1))) {
                fail("training.lr_milestones", "training.lr_milestones must be increasing epochs >= 1, got "
                        + milestones);
                return;
            }
        }
    }

    /** The rules shared by every attack section; {@code p} is the section's key path. */
    private void checkAttack(String p, AttackConfig a) {
        String name = a.attack().id();
        if (!(a.eps() >= 0 && a.eps() <= 1)) {
            fail(p + ".eps", p + ".eps must be in [0, 1] for inputs in [0, 1], got " + num(a.eps()));
        }
        if (a.attack().singleStep() && a.steps() != 1) {
            fail(p + ".steps", p + ".steps must be 1 for attack " + name + ", got " + a.steps()
                    + " (use pgd for several steps)", p + ".attack");
        } else {
            atLeast(p + ".steps", a.steps(), 1);
        }
        if (a.stepSize() != null && a.relStepSize() != null) {
            fail(p + ".step_size", p + ".step_size and " + p + ".rel_step_size are both set (" + num(a.stepSize())
                    + " and " + num(a.relStepSize()) + "); set only one, the other to null", p + ".rel_step_size");
        }
        if (a.stepSize() != null) {
            positive(p + ".step_size", a.stepSize());
        }
        if (a.relStepSize() != null) {
            positive(p + ".rel_step_size", a.relStepSize());
        }
        if (a.attack() == AttackName.FGSM && a.randomStart()) {
            fail(p + ".random_start", p + ".random_start must be false for attack fgsm (use fgsm-rs for a random"
                    + " start)", p + ".attack");
        }
        if (a.attack() == AttackName.FGSM_RS && !a.randomStart()) {
            fail(p + ".random_start", p + ".random_start must be true for attack fgsm-rs (use fgsm for none)",
                    p + ".attack");
        }
        if (a.attack() == AttackName.FGSM && a.restarts() != 1) {
            fail(p + ".restarts", p + ".restarts must be 1 for attack fgsm, which is deterministic, got "
                    + a.restarts(), p + ".attack");
        } else {
            atLeast(p + ".restarts", a.restarts(), 1);
        }
        atLeast(p + ".limit", a.limit(), 0);
    }

    private void atLeast(String key, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            fail(key, key + " must be >= " + num(min) + ", got " + num(value));
        }
    }

    private void positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            fail(key, key + " must be > 0, got " + num(value));
        }
    }

    private void notBlank(String key, String value) {
        if (value.isBlank()) {
            fail(key, key + " must not be empty");
        }
    }

    private void fail(String key, String message, String... alsoInvolved) {
        List<String> keys = new ArrayList<>(List.of(key));
        keys.addAll(List.of(alsoInvolved));
        problems.add(new Problem(List.copyOf(keys), message));
    }

    /** A number as a user would write it: 3 rather than 3.0. */
    static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
