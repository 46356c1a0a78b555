package dev.advtrain.core.data;

/**
 * The content of an IDX image file: {@code count} greyscale images of {@code rows x cols} unsigned
 * bytes, image after image, each row-major (the layout of the original MNIST files).
 *
 * <p>The array is not copied: whoever builds or receives an {@code IdxImages} owns {@code pixels} and
 * must not change it while the record is in use. Equality is the record's, i.e. array identity.
 *
 * @param count  number of images, at least 0
 * @param rows   height of every image, at least 1
 * @param cols   width of every image, at least 1
 * @param pixels {@code count * rows * cols} unsigned bytes (read with {@code b & 0xFF})
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    /** Checks the dimensions against each other and against the pixel array. */
    public IdxImages {
        if (count < 0 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "bad IDX image dimensions: " + count + " images of " + rows + "x" + cols);
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected "
                    + (long) count * rows * cols + " for " + count + " images of " + rows + "x" + cols);
        }
    }

    /** Returns the number of pixels in one image, {@code rows * cols}. */
    public int pixelsPerImage() {
        return rows * cols;
    }
}
