package dev.advtrain.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import dev.advtrain.core.config.DatasetName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDataTest {

    @TempDir
    Path dir;

    @Test
    void detectsEachKindOfDataDirectoryByItsFiles() throws IOException {
        Path cifar = Files.createDirectories(dir.resolve("cifar/cifar-10-batches-bin"));
        Files.write(cifar.resolve("test_batch.bin"), new byte[0]);
        assertEquals(DatasetName.CIFAR10, RunData.detect(dir.resolve("cifar")));
        assertEquals(DatasetName.CIFAR10, RunData.detect(cifar));

        Path fashion = Files.createDirectories(dir.resolve("fashion"));
        Files.write(fashion.resolve("train-images-idx3-ubyte.gz"), new byte[0]);
        assertEquals(DatasetName.IDX, RunData.detect(fashion));

        Path folder = Files.createDirectories(dir.resolve("folder/cats"));
        Files.createDirectories(dir.resolve("folder/dogs"));
        assertEquals(DatasetName.FOLDER, RunData.detect(folder.getParent()));
    }

    @Test
    void aDirectoryWithoutADatasetIsAOneLineError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "nothing here");
        UserErrorException none = assertThrows(UserErrorException.class, () -> RunData.detect(empty));
        assertTrue(none.getMessage().startsWith("no dataset found in " + empty + ": expected CIFAR-10 binary files"),
                none.getMessage());
        assertEquals("data directory not found: " + dir.resolve("missing"),
                assertThrows(UserErrorException.class, () -> RunData.detect(dir.resolve("missing"))).getMessage());
    }

    @Test
    void holdsOutValidationFromTheEndOfTheTrainingImages() {
        RunData data = RunData.load(ConfigLoader.load(null, List.of("data.dataset=auto", "data.dir=" + RunFixture.data(),
                "data.train_limit=500", "data.validation_size=100", "data.test_limit=50"), Map.of()).validate().data(), 1);
        assertEquals(400, data.train().size());
        assertEquals(100, data.validation().size());
        assertEquals(50, data.test().size());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), data.classNames());
        UserErrorException tooMany = assertThrows(UserErrorException.class, () -> RunData.load(ConfigLoader.load(null,
                List.of("data.dir=" + RunFixture.data(), "data.train_limit=500", "data.validation_size=500"), Map.of())
                .validate().data(), 1));
        assertEquals("data.validation_size (500) must be smaller than the 500 training images in use", tooMany.getMessage());
    }
}
