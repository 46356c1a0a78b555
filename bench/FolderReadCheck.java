import dev.advtrain.core.data.*;
import java.awt.image.BufferedImage;
import java.nio.file.*;
import javax.imageio.ImageIO;

/**
 * Writes the MNIST test set as one PNG per image into class folders and reads it back through
 * {@code ImageFolder} (DataVec), timing the read and checking every pixel and label against the IDX
 * files (docs/results.md, "Reading an image folder"). Run from the repository root after a build:
 *
 * <pre>
 * CP=trainer-cli/target/trainer-cli-0.1.0-SNAPSHOT.jar:$(cat trainer-cli/target/classpath.txt)
 * OMP_NUM_THREADS=1 java -cp "$CP" bench/FolderReadCheck.java /tmp/mnist-test-png data/mnist
 * </pre>
 */
public class FolderReadCheck {
    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[0]);
        MnistData mnist = MnistData.load(Path.of(a.length > 1 ? a[1] : "data/mnist"), false);
        LabeledImages test = mnist.test();
        if (!Files.exists(out)) {
            for (int i = 0; i < test.size(); i++) {
                Path dir = Files.createDirectories(out.resolve("digit-" + test.label(i)));
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < 784; p++) img.getRaster().setSample(p % 28, p / 28, 0, Math.round(test.pixel(i, p) * 255));
                ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
            }
        }
        long t = System.nanoTime();
        ImageFolder.Contents c = ImageFolder.read(out, 28, 28, 1);
        double s = (System.nanoTime() - t) / 1e9;
        int same = 0;
        // compare with IDX pixels: files are read in class order then file-name order
        java.util.Map<String,Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < c.files().size(); i++) index.put(c.files().get(i).getFileName().toString(), i);
        for (int i = 0; i < test.size(); i++) {
            int k = index.get(i + ".png");
            boolean eq = c.images().label(k) == test.label(i) && c.classNames().get(c.images().label(k)).equals("digit-" + test.label(i));
            for (int p = 0; p < 784 && eq; p++) eq = Math.abs(c.images().pixel(k, p) - test.pixel(i, p)) < 1e-6;
            if (eq) same++;
        }
        System.out.printf("read %d images in %.1f s (%.0f images/s); identical to the IDX pixels: %d%n", c.images().size(), s, c.images().size() / s, same);
    }
}
