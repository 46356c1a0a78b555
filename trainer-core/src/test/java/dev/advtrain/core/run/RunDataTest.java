package dev.advtrain.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.advtrain.core.UserErrorException;
import dev.advtrain.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
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

    @Test
    void autoDetectsTheDirectoryAndADirectoryWithoutADatasetIsAOneLineError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        UserErrorException none = assertThrows(UserErrorException.class, () -> RunData.load(ConfigLoader.load(null,
                List.of("data.dataset=auto", "data.dir=" + empty), Map.of()).validate().data(), 1));
        assertTrue(none.getMessage().startsWith("no dataset found in " + empty + ": "), none.getMessage());
    }
}
