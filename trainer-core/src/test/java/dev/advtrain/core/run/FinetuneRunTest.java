package dev.advtrain.core.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.Progress;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.ModelConfig;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.data.ImageFolderFixture;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.model.ModelFiles;
import dev.advtrain.core.model.NetworkInput;
import dev.advtrain.core.model.PixelInput;
import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.transform.ImageShape;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs that start from a model file ({@code model.file} with {@code finetune:}), from the zoo, or
 * on an image folder: the whole path from config to saved model and report.
 */
class FinetuneRunTest {

    private static final String PGD = "evaluation.attacks=[{attack: pgd, eps: 0.15, steps: 10, rel_step_size: 0.25,"
            + " random_start: true, limit: 200}]";

    @TempDir
    Path runs;

    /** The capability in one test: a clean-trained model, adversarially fine-tuned, gains robust accuracy. */
    @Test
    void adversarialFineTuningOfACleanModelRaisesItsRobustAccuracy() {
        TrainingRun.Result clean = TrainingRun.start(RunFixture.config(runs, "clean", "model.arch=mlp",
                "adversarial.mixing.policy=clean-only", "data.test_limit=200", "evaluation.clean_limit=200", PGD))
                .execute(Progress.none());
        Path cleanModel = clean.directory().model();
        TrainingRun.Result tuned = TrainingRun.start(RunFixture.config(runs, "tuned", "model.file=" + cleanModel,
                "finetune.learning_rate=0.003", "adversarial.recipe=pgd-at", "adversarial.eps=0.15",
                "adversarial.steps=5", "adversarial.rel_step_size=0.4", "adversarial.mixing.policy=adversarial-only",
                "data.test_limit=200", "evaluation.clean_limit=200", PGD))
                .execute(Progress.none());

        double before = clean.report().results().get(0).robustAccuracy();
        double after = tuned.report().results().get(0).robustAccuracy();
        assertTrue(after > before + 0.3, "robust accuracy " + before + " -> " + after);
        assertTrue(tuned.report().cleanAccuracy() > 0.9, "clean accuracy " + tuned.report().cleanAccuracy());
    }

    @Test
    void aModelWithAnotherClassCountNeedsANewOutputLayer() throws Exception {
        Path fiveClasses = runs.resolve("five.zip");
        RunConfig base = RunFixture.small(runs, "five");
        ModelSerializer.writeModel(ModelFactory.create(base.model(), base.training(), 1, 10, new ImageShape(1, 28, 28), 5),
                fiveClasses.toFile(), false);

        UserErrorException misfit = assertThrows(UserErrorException.class, () -> TrainingRun.start(
                RunFixture.small(runs, "misfit", "model.file=" + fiveClasses)).execute(Progress.none()));
        assertTrue(misfit.getMessage().startsWith("the model has 5 classes, the data has 10 [0, 1, 2,"),
                misfit.getMessage());
        assertTrue(misfit.getMessage().endsWith("set finetune.replace_output: true to train a new output layer for them"));

        TrainingRun.Result replaced = TrainingRun.start(RunFixture.small(runs, "replaced", "model.file=" + fiveClasses,
                "finetune.replace_output=true", "finetune.freeze=1", "finetune.learning_rate=0.01", "training.epochs=1"))
                .execute(Progress.none());
        MultiLayerNetwork original = (MultiLayerNetwork) ModelFiles.load(fiveClasses, false);
        MultiLayerNetwork result = (MultiLayerNetwork) ModelFiles.load(replaced.directory().model(), false);
        assertEquals(10, Classifiers.of(result).numClasses());
        assertInstanceOf(FrozenLayerWithBackprop.class, result.getLayerWiseConfigurations().getConf(0).getLayer());
        assertEquals(original.getLayer(0).params(), result.getLayer(0).params(), "the frozen layer is as loaded");
        assertTrue(original.getLayer(1).params().neq(result.getLayer(1).params()).any(), "the next layer trained");
        assertTrue(replaced.history().get(0).get("val_clean_acc") > 0.5, replaced.history().toString());
    }

    @Test
    void anImageFolderTrainsAndItsClassNamesAreKeptWithTheModel() throws Exception {
        Path folder = runs.resolve("colours");
        List<String> names = ImageFolderFixture.write(folder, 3, 24, 12, 5);
        TrainingRun.Result result = TrainingRun.start(RunFixture.config(runs, "folder", "data.dataset=auto",
                "data.dir=" + folder, "data.image={height: 10, width: 10, channels: 3}", "data.test_fraction=0.25",
                "data.validation_size=6", "data.train_limit=0", "data.test_limit=0", "evaluation.clean_limit=0",
                "model.arch=stride-cnn", "adversarial.eps=0.02", "validation.eps=0.02", "training.batch_size=8",
                "training.epochs=4", "training.learning_rate=0.01",
                "evaluation.attacks=[{attack: fgsm, eps: 0.02}]"))
                .execute(Progress.none());
        assertEquals(names, ModelFiles.classNames(result.directory().model()));
        assertEquals(names, ModelFiles.classNames(result.directory().bestModel()));
        assertEquals(18, result.report().n(), "a quarter of 3 x 24 images");
        assertEquals("colours", result.report().dataset());
        assertTrue(result.report().cleanAccuracy() > 0.9, "clean accuracy " + result.report().cleanAccuracy());
        Model model = ModelFiles.load(result.directory().model(), false);
        assertArrayEquals(new long[] {1, 3}, ((MultiLayerNetwork) model).output(
                org.nd4j.linalg.factory.Nd4j.rand(1, 300)).shape(), "10x10 RGB in, 3 classes out");
    }

    @Test
    void normalisationGoesInsideTheSavedModel() {
        TrainingRun.Result result = TrainingRun.start(RunFixture.small(runs, "normalised", "training.epochs=1",
                "model.normalize={mean: [0.13], std: [0.31]}")).execute(Progress.none());
        PixelInput input = NetworkInput.of(ModelFiles.load(result.directory().model(), false));
        assertNotNull(input);
        assertArrayEquals(new double[] {0.13}, input.mean());
        assertArrayEquals(new double[] {0.31}, input.std());
        assertEquals(PixelInput.Layout.FLAT_CHW, input.layout());
        assertTrue(result.history().get(0).get("val_clean_acc") > 0.5, result.history().toString());

        UserErrorException channels = assertThrows(UserErrorException.class, () -> TrainingRun.start(
                RunFixture.small(runs, "rgb-stats", "model.normalize={mean: [0.5, 0.5, 0.5], std: [0.2, 0.2, 0.2]}"))
                .execute(Progress.none()));
        assertEquals("model.normalize has 3 values per list, the data has 1 channel", channels.getMessage());
    }

    @Test
    void aKerasModelFineTunesOnAdvtrainsPixels() throws URISyntaxException {
        Path h5 = Path.of(FinetuneRunTest.class.getResource("/keras/cnn.h5").toURI());
        TrainingRun.Result result = TrainingRun.start(RunFixture.small(runs, "keras", "model.file=" + h5,
                "training.epochs=1", "finetune.learning_rate=0.01")).execute(Progress.none());
        Model model = ModelFiles.load(result.directory().model(), false);
        assertEquals(PixelInput.Layout.NHWC, NetworkInput.of(model).layout());
        assertTrue(result.history().get(0).get("val_clean_acc") > 0.5, result.history().toString());
    }

    @Test
    void aZooArchitectureTrainsFromScratchOnPixelRows() {
        TrainingRun.Result result = TrainingRun.start(RunFixture.small(runs, "zoo", "model.zoo=lenet",
                "training.epochs=1", "data.train_limit=150", "data.validation_size=50")).execute(Progress.none());
        Model model = ModelFiles.load(result.directory().model(), false);
        assertInstanceOf(MultiLayerNetwork.class, model);
        assertEquals(PixelInput.Layout.NCHW, NetworkInput.of(model).layout());
        assertEquals(10, Classifiers.of(model).numClasses());
    }

    @Test
    void finetuneKeysNeedAModelFile() {
        UserErrorException e = assertThrows(UserErrorException.class,
                () -> ConfigLoader.load(null, List.of("finetune.freeze=2"), Map.of()).validate());
        assertTrue(e.getMessage().contains("apply to a model you start from; set model.file"), e.getMessage());
        ModelConfig m = ConfigLoader.load(null, List.of("model.file=x.h5", "finetune.freeze_up_to=conv"), Map.of())
                .validate().model();
        assertTrue(RunModel.isKeras(Path.of(m.file())));
    }
}
