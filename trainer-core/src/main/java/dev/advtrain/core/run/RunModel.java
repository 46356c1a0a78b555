package dev.advtrain.core.run;

import dev.advtrain.attacks.model.Classifiers;
import dev.advtrain.attacks.transform.ImageShape;
import dev.advtrain.core.Seeds;
import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.FinetuneConfig;
import dev.advtrain.core.config.ModelConfig;
import dev.advtrain.core.config.RunConfig;
import dev.advtrain.core.config.TrainingConfig;
import dev.advtrain.core.data.LabeledImages;
import dev.advtrain.core.model.FineTuning;
import dev.advtrain.core.model.KerasModels;
import dev.advtrain.core.model.ModelFactory;
import dev.advtrain.core.model.ModelFiles;
import dev.advtrain.core.model.NetworkInput;
import dev.advtrain.core.model.PixelInput;
import dev.advtrain.core.model.TransferSpec;
import dev.advtrain.core.model.ZooArchitecture;
import dev.advtrain.core.model.ZooArchitectures;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.api.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network a new run trains, from its {@code model:} and {@code finetune:} sections: one of
 * advtrain's architectures, a zoo architecture, or a DL4J or Keras model file with the fine-tuning
 * applied. Every network comes out taking advtrain's pixel rows for the data's image shape, with the
 * configured normalisation inside, and one output per class of the data; a misfit is a one-line
 * {@link UserErrorException} naming both shapes or both class counts.
 */
final class RunModel {

    private static final Logger LOG = LoggerFactory.getLogger(RunModel.class);

    private RunModel() {
    }

    /**
     * @param itersPerEpoch optimiser steps per epoch, for iteration-based learning rate schedules
     */
    static Model create(RunConfig config, LabeledImages data, List<String> classNames, int itersPerEpoch) {
        ModelConfig m = config.model();
        TrainingConfig training = config.training();
        ImageShape shape = new ImageShape(data.channels(), data.height(), data.width());
        int classes = data.numClasses();
        long seed = Seeds.derive(config.seed(), "init", 0);
        PixelInput.Layout layout = m.inputLayout() == null ? null : m.inputLayout().layout();
        Model model;
        if (m.fromFile()) {
            Path file = Path.of(m.file());
            if (isKeras(file)) {
                KerasModels.ImportedModel imported = KerasModels.load(file);
                model = imported.network();
                layout = layout != null ? layout : imported.layout();
            } else {
                model = ModelFiles.load(file, false); // fine-tuning starts a fresh optimiser state
            }
            LOG.info("Loaded {} ({} parameters, {} classes)", file, model.numParams(), Classifiers.of(model).numClasses());
            FinetuneConfig f = config.finetune();
            model = FineTuning.apply(model, new TransferSpec(f.freeze(), f.freezeUpTo(), f.replaceOutput() ? classes : 0,
                    ModelFactory.updater(training, f.learningRate(training), itersPerEpoch)),
                    Seeds.derive(config.seed(), "finetune", 0));
        } else if (m.zoo() != null) {
            ZooArchitecture arch = ZooArchitecture.byName(m.zoo());
            model = ZooArchitectures.build(arch, shape.channels(), shape.height(), shape.width(), classes, seed,
                    ModelFactory.updater(training, itersPerEpoch), training.weightDecay());
        } else {
            model = ModelFactory.create(m, training, seed, itersPerEpoch, shape, classes);
        }
        if (m.fromFile() || m.zoo() != null || m.normalize() != null) {
            double[] mean = m.normalize() == null ? null : m.normalize().meanArray();
            double[] std = m.normalize() == null ? null : m.normalize().stdArray();
            if (mean != null && mean.length != shape.channels()) {
                throw new UserErrorException("model.normalize has " + mean.length + " values per list, the data has "
                        + shape.channels() + " channel" + (shape.channels() == 1 ? "" : "s"));
            }
            model = NetworkInput.install(model, shape.channels(), shape.height(), shape.width(), layout, mean, std);
        }
        int outputs = Classifiers.of(model).numClasses();
        if (outputs != classes) {
            throw new UserErrorException("the model has " + outputs + " classes, the data has " + classes + " "
                    + classNames + "; set finetune.replace_output: true to train a new output layer for them");
        }
        return model;
    }

    /** Keras HDF5 files are {@code .h5} or {@code .hdf5}; everything else is a DL4J zip. */
    static boolean isKeras(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        return name.endsWith(".h5") || name.endsWith(".hdf5");
    }
}
