package dev.advtrain.core.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy {@code .npy} files ({@code numpy.load} reads them; so does {@code Nd4j.createFromNpyFile}).
 *
 * <p>ND4J's own {@code Nd4j.writeAsNumpy} (1.0.0-M2.1) writes the array's underlying buffer as it
 * lies: a view with an offset comes out as the wrong rows and an {@code 'f'}-ordered array with its
 * axes scrambled, both under a header that claims C order. {@link #write} therefore always writes a
 * fresh C-ordered copy.
 */
public final class Npy {

    private Npy() {
    }

    /** Writes {@code array} (any order, view or not) to a new file; an existing file is an error. */
    public static void write(Path file, INDArray array) throws IOException {
        INDArray contiguous = array.dup('c');
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            Nd4j.writeAsNumpy(contiguous, out);
        }
    }

    /** Writes a vector of ints as an int32 array of shape [n]. */
    public static void write(Path file, int[] values) throws IOException {
        write(file, Nd4j.createFromArray(values));
    }
}
