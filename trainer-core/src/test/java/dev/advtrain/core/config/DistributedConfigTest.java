package dev.advtrain.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.run.TrainingBackend;
import dev.advtrain.core.testing.LearnableMnist;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code distributed:} section: defaults, binding, and what a run on Spark may not ask for. */
class DistributedConfigTest {

    private static RunConfig load(String... sets) {
        return ConfigLoader.load(null, List.of(sets), Map.of());
    }

    /** The message of the config's problem, without the loader's {@code --set KEY=VALUE: } prefix. */
    private static String problem(String... sets) {
        String message = assertThrows(UserErrorException.class, () -> load(sets).validate()).getMessage();
        return message.substring(message.indexOf(": ") + 2);
    }

    @Test
    void defaultsTrainInThisJvm() {
        DistributedConfig d = RunConfig.defaults().distributed();
        assertFalse(d.enabled());
        assertEquals(new DistributedConfig("", 0, 5, 0, RddStorage.MEMORY_ONLY_SER), d);
        assertEquals(RunConfig.defaults().training().batchSize(), d.batchPerWorker(RunConfig.defaults().training()));
    }

    @Test
    void keysBindAndSurviveTheSavedConfig() {
        RunConfig c = load("distributed.master=local[2]", "distributed.workers=2", "distributed.averaging_frequency=3",
                "distributed.batch_per_worker=32", "distributed.storage_level=disk-only").validate();
        assertEquals(new DistributedConfig("local[2]", 2, 3, 32, RddStorage.DISK_ONLY), c.distributed());
        assertTrue(c.distributed().enabled());
        assertEquals(32, c.distributed().batchPerWorker(c.training()));
        assertEquals(c, ConfigLoader.fromYaml(c.toYaml()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "distributed.workers=-1|distributed.workers must be >= 0, got -1",
        "distributed.averaging_frequency=0|distributed.averaging_frequency must be >= 1, got 0",
        "distributed.batch_per_worker=-4|distributed.batch_per_worker must be >= 0, got -4"})
    void numbersAreChecked(String set, String message) {
        assertEquals(message, problem(set));
    }

    @Test
    void unserialisedStorageIsRefusedWithTheAllowedLevels() {
        String message = assertThrows(UserErrorException.class, () -> load("distributed.storage_level=memory-only"))
                .getMessage();
        assertTrue(message.contains("distributed.storage_level") && message.contains("memory-only-ser, memory-and-disk-ser,"
                + " disk-only"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"free", "trades", "mart"})
    void recipesWithTheirOwnStepsAreRefusedOnSpark(String recipe) {
        assertEquals("adversarial.recipe " + recipe + " cannot train on Spark (distributed.master is set): it needs its"
                + " own optimiser steps or loss; use pgd-at, fast-at or n-fgsm, or train locally",
                problem("adversarial.recipe=" + recipe, "distributed.master=local[2]"));
        load("adversarial.recipe=" + recipe).validate(); // fine in one JVM
    }

    @ParameterizedTest
    @ValueSource(strings = {"pgd-at", "fast-at", "n-fgsm"})
    void interleavingRecipesRunOnSpark(String recipe) {
        load("adversarial.recipe=" + recipe, "distributed.master=local[2]").validate();
    }

    @Test
    void checksAndAveragingBetweenRoundsAreRefusedOnSpark() {
        assertEquals("guards.collapse.every must be 0 on Spark (distributed.master is set): the driver checks robust"
                + " accuracy after each epoch, got 50", problem("guards.collapse.every=50", "distributed.master=local[2]"));
        assertEquals("training.ema_decay must be 0 on Spark (distributed.master is set): the workers' averaged updates"
                + " reach the driver once per round, got 0.999", problem("training.ema_decay=0.999", "distributed.master=local[2]"));
        assertEquals("distributed.master must be a Spark master URL such as local[2] or spark://host:7077, got"
                + " 'local 2'", problem("distributed.master=local 2"));
    }

    @Test
    void sparkWithoutTheSparkModuleIsAUserError() {
        RunConfig c = load("distributed.master=local[2]").validate();
        String message = assertThrows(UserErrorException.class,
                () -> TrainingBackend.open(c, LearnableMnist.images(10, 1))).getMessage();
        assertTrue(message.startsWith("distributed.master is local[2], but Spark training (the trainer-spark module)"
                + " is not on the classpath"), message);
    }
}
