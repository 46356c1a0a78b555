package dev.advtrain.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the grid shows images and perturbations. */
class AdversarialGridTest {

    @Test
    void perturbationIsMidGreyAtZeroAndFullContrastAtItsLargestValue() {
        float[] original = {0.2f, 0.5f, 0.9f, 0.0f};
        float[] adversarial = {0.3f, 0.45f, 0.9f, 0.0f};
        AdversarialGrid.Perturbation p = AdversarialGrid.Perturbation.of(original, adversarial);
        assertEquals(0.1f, p.maxAbs(), 1e-6);
        assertEquals(5.0f, p.stretch(), 1e-4);
        assertEquals(1.0f, p.shown()[0], 1e-5);
        assertEquals(0.25f, p.shown()[1], 1e-5);
        assertEquals(0.5f, p.shown()[2], 0f);
        AdversarialGrid.Perturbation none = AdversarialGrid.Perturbation.of(original, original);
        assertEquals(0f, none.stretch());
        assertEquals(0.5f, none.shown()[0], 0f);
    }

    @Test
    void pixelsBecomeGreyOrRgbLevels() {
        BufferedImage grey = AdversarialGrid.toImage(new float[] {0f, 1f, 0.5f, 2f}, 1, 2, 2);
        assertEquals(0x000000, grey.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, grey.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x808080, grey.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0xFFFFFF, grey.getRGB(1, 1) & 0xFFFFFF, "values above 1 are clipped for display");
        BufferedImage rgb = AdversarialGrid.toImage(new float[] {1f, 0f, 1f}, 3, 1, 1);
        assertEquals(0xFF00FF, rgb.getRGB(0, 0) & 0xFFFFFF);
    }

    @Test
    void smallImagesAreEnlargedAndCellsFillRowsOfFour() {
        assertEquals(4, AdversarialGrid.scale(28, 28));
        assertEquals(17, AdversarialGrid.scale(6, 6));
        float[] image = new float[36];
        AdversarialGrid.Cell cell = new AdversarialGrid.Cell("#0", image, image, "pred 1 (0.50)", "pred 1 (0.50)",
                AdversarialGrid.Outcome.FAILED);
        BufferedImage one = AdversarialGrid.render("t", List.of(cell), 1, 6, 6);
        BufferedImage four = AdversarialGrid.render("t", Collections.nCopies(4, cell), 1, 6, 6);
        BufferedImage five = AdversarialGrid.render("t", Collections.nCopies(5, cell), 1, 6, 6);
        assertTrue(one.getWidth() >= 3 * 6 * 17, "three enlarged images side by side: " + one.getWidth());
        assertEquals(four.getHeight(), one.getHeight());
        assertTrue(five.getHeight() > four.getHeight(), "a fifth cell starts a second row");
        assertEquals(four.getWidth(), five.getWidth());
    }
}
