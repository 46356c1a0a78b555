package dev.advtrain.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** .npy files hold the array's logical values whatever its memory layout. */
class NpyTest {

    @TempDir
    Path dir;

    @Test
    void writesViewsAndFortranOrderedArraysByValue() throws IOException {
        INDArray matrix = Nd4j.linspace(0, 11, 12, DataType.FLOAT).reshape(3, 4);
        INDArray view = matrix.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        INDArray fortran = matrix.dup('f');
        Npy.write(dir.resolve("view.npy"), view);
        Npy.write(dir.resolve("fortran.npy"), fortran);
        assertEquals(view, Nd4j.createFromNpyFile(dir.resolve("view.npy").toFile()));
        assertEquals(matrix, Nd4j.createFromNpyFile(dir.resolve("fortran.npy").toFile()));
    }

    @Test
    void headerIsNumpyFormatWithDtypeAndShape() throws IOException {
        Path file = dir.resolve("images.npy");
        Npy.write(file, Nd4j.rand(DataType.FLOAT, 2, 1, 3, 3));
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}, Arrays.copyOf(bytes, 6));
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False")
                && header.contains("'shape': (2, 1, 3, 3)"), header);
        assertEquals(10 + headerLength + 2 * 9 * 4, bytes.length);

        Npy.write(dir.resolve("labels.npy"), new int[] {7, 0, 3});
        INDArray labels = Nd4j.createFromNpyFile(dir.resolve("labels.npy").toFile());
        assertEquals(DataType.INT, labels.dataType());
        assertArrayEquals(new int[] {7, 0, 3}, labels.toIntVector());
    }

    @Test
    void neverOverwrites() throws IOException {
        Path file = Files.writeString(dir.resolve("taken.npy"), "keep");
        assertThrows(FileAlreadyExistsException.class, () -> Npy.write(file, new int[] {1}));
        assertEquals("keep", Files.readString(file));
    }
}
