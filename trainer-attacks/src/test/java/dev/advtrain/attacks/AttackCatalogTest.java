package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Every catalogue entry, under every norm it claims, builds from parameters and keeps the invariants,
 * on a trained MLP and on an untrained ComputationGraph with dropout and batch normalization.
 */
class AttackCatalogTest {

    private static final Map<String, Double> EPS = Map.of("linf", 0.1, "l2", 0.6, "l1", 3.0, "l0", 0.2);

    private static MultiLayerNetwork net;

    @BeforeAll
    static void train() {
        net = TinyModels.trainedMlp(31);
    }

    static Stream<Arguments> entriesAndNorms() {
        return AttackCatalog.entries().stream()
                .flatMap(e -> e.norms().stream().sorted().map(n -> Arguments.of(e.name(), n)));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("entriesAndNorms")
    void buildsByNameAndKeepsTheThreatModel(String name, String normId) {
        AttackParams params = AttackParams.of(EPS.get(normId)).withNorm(Norms.of(normId))
                .withSteps(4).withQueries(60).withRestarts(1).withSeed(5);
        Attack<? super DifferentiableClassifier> attack = AttackCatalog.get(name).create(params);
        assertEquals(normId, attack.norm().id());
        DataSet batch = TinyData.quadrants(12, 32, DataType.FLOAT);
        AttackChecks.assertInvariants(attack, Classifiers.of(net), net, batch.getFeatures(),
                Criterion.untargeted(batch.getLabels()));
    }

    @ParameterizedTest(name = "{0} under {1}, untrained graph")
    @MethodSource("entriesAndNorms")
    void keepsTheThreatModelOnAnUntrainedGraphWithDropoutAndBatchNorm(String name, String normId) {
        ComputationGraph graph = TinyModels.graphWithDropoutAndBatchNorm(33, DataType.FLOAT);
        AttackParams params = AttackParams.of(EPS.get(normId)).withNorm(Norms.of(normId))
                .withSteps(3).withQueries(40).withRestarts(1).withSeed(6);
        DataSet batch = TinyData.quadrants(10, 34, DataType.FLOAT);
        AttackChecks.assertInvariants(AttackCatalog.get(name).create(params), Classifiers.of(graph), graph,
                batch.getFeatures(), Criterion.untargeted(batch.getLabels()));
    }

    @Test
    void unknownNamesAndNormsAreRefusedWithTheChoices() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> AttackCatalog.get("pgdd"));
        assertTrue(unknown.getMessage().contains("pgd"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Norms.of("l3"));
    }
}
