package dev.advtrain.attacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.testing.AttackChecks;
import dev.advtrain.attacks.testing.CountingClassifier;
import dev.advtrain.attacks.testing.TinyData;
import dev.advtrain.attacks.testing.TinyModels;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Transfer: crafted on a surrogate, judged on a target that is never queried. */
class TransferAttackTest {

    private static final Logger LOG = LoggerFactory.getLogger(TransferAttackTest.class);

    @Test
    void transfersSomeButNoMoreThanWhiteBoxOnTheTarget() {
        MultiLayerNetwork target = TinyModels.trainedMlp(61);
        MultiLayerNetwork surrogate = TinyModels.trainedMlp(62);
        DataSet test = TinyData.quadrants(120, 63, DataType.FLOAT);
        Criterion criterion = Criterion.untargeted(test.getLabels());
        ProjectedGradientDescent pgd = ProjectedGradientDescent.builder().eps(0.1).steps(20).seed(1).build();

        CountingClassifier counting = new CountingClassifier(Classifiers.of(target));
        TransferAttack transfer = new TransferAttack(Classifiers.of(surrogate), pgd);
        AttackResult transferred = AttackChecks.assertInvariants(transfer, counting, target, test.getFeatures(), criterion);
        assertEquals(0, counting.rows(), "a transfer attack queried its target");
        assertTrue(Arrays.stream(transferred.queries()).allMatch(q -> q == 0));

        double onSurrogate = pgd.generate(Classifiers.of(surrogate), test.getFeatures(), criterion).successRate();
        double whiteBox = pgd.generate(Classifiers.of(target), test.getFeatures(), criterion).successRate();
        String numbers = String.format("PGD-20 eps 0.1: on the surrogate %.3f, transferred to the target %.3f, "
                + "white-box on the target %.3f", onSurrogate, transferred.successRate(), whiteBox);
        LOG.info("trainedMlp(62) -> trainedMlp(61), 120 examples: {}", numbers);
        assertTrue(transferred.successRate() > 0, "nothing transferred: " + numbers);
        assertTrue(transferred.successRate() <= whiteBox, "transfer beat white-box PGD on the target: " + numbers);
    }

    @Test
    void keepsTheInnerThreatModelOnAGraphTarget() {
        ComputationGraph target = TinyModels.train(TinyModels.graphWithDropoutAndBatchNorm(3, DataType.FLOAT),
                TinyData.quadrants(64, 11, DataType.FLOAT), 10);
        MultiLayerNetwork surrogate = TinyModels.trainedMlp(64);
        ProjectedGradientDescent inner = ProjectedGradientDescent.builder().norm(L2Norm.INSTANCE).eps(0.5).steps(5)
                .clip(0.0, 1.0).seed(2).build();
        TransferAttack transfer = new TransferAttack(Classifiers.of(surrogate), inner);
        assertEquals("transfer-pgd", transfer.name());
        assertEquals(inner.norm(), transfer.norm());
        assertEquals(inner.eps(), transfer.eps());
        DataSet batch = TinyData.quadrants(16, 65, DataType.FLOAT);
        AttackChecks.assertInvariants(transfer, Classifiers.of(target), target, batch.getFeatures(),
                Criterion.targeted(TinyData.nextClassTargets(batch.getLabels())));
        AttackChecks.assertDeterministic(() -> new TransferAttack(Classifiers.of(surrogate),
                ProjectedGradientDescent.builder().eps(0.1).steps(5).seed(3).build()), Classifiers.of(target),
                batch.getFeatures(), Criterion.untargeted(batch.getLabels()));
    }
}
