package dev.advtrain.attacks;

import dev.advtrain.attacks.transform.ImageShape;
import java.util.Optional;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adversarial patch (Brown, Mane, Roy, Abadi and Gilmer, "Adversarial Patch", 2017): one
 * universal, printable square patch that, pasted anywhere into an image at a random scale and
 * rotation, drives the model towards a target class (targeted) or away from the true one
 * (untargeted). Only the pixels under the patch change.
 *
 * <p>Training is expectation over transformation: each step pastes the patch into a mini-batch of
 * the training images at fresh random placements ({@link Patch}), takes the gradient of the loss
 * (cross-entropy by default) of the patched images, scatters it back onto the patch pixels (exact:
 * placement is a nearest-neighbour gather) and moves every patch pixel by a signed step of
 * {@code stepSize} (ascending the loss of the true labels, or descending that of the targets),
 * clipping to the valid range. Signed steps rather than Adam: no optimiser state, and the step is
 * in pixel units whatever the gradient's scale. The patch starts uniform random. (In the catalogue
 * entry "patch", a relative step size is a share of the valid range, not of eps.)
 *
 * <p>Threat model: {@link L0Norm}, eps = the largest share of an image the patch may cover; the
 * patch's full size is the largest square of at most that share ({@code floor(sqrt(eps * H * W))}
 * pixels a side). White-box, any clip range; images [N, C, H, W] or flat rows (shape inferred by
 * {@link ImageShape#of}, or given). As an {@link Attack} it trains a patch on the batch it is given
 * (a targeted criterion with one target class for all is Brown et al.'s setting; per-example
 * targets are allowed) and returns the batch with the patch pasted at random placements.
 *
 * <p>Defaults: name "patch", share (eps) 0.1, 200 steps, mini-batches of 32, step 0.02 (in pixel
 * units), scale [0.8, 1.0], rotation up to 22.5 degrees, cross-entropy, inputs in [0, 1], seed 0 (the
 * initial patch, the batches and the placements).
 *
 * <pre>{@code
 * AdversarialPatch attack = AdversarialPatch.builder().share(0.1).steps(500).build();
 * Patch patch = attack.train(Classifiers.of(net), xTrain, 3);  // towards class 3
 * INDArray patched = patch.apply(xTest, new SplittableRandom(1)).images();
 * }</pre>
 */
public final class AdversarialPatch extends Attack<DifferentiableClassifier> {

    private final int steps;
    private final int batchSize;
    private final double stepSize;
    private final Patch.Placement placement;
    private final Loss loss;
    private final ImageShape imageShape;
    private final SplittableRandom rng;
    private Patch lastPatch;

    private AdversarialPatch(Builder b) {
        super(b);
        requireNorm("AdversarialPatch", "l0");
        if (b.steps < 1 || b.batchSize < 1 || !(b.stepSize > 0)) {
            throw new IllegalArgumentException("steps, batch size and step size must be positive, got "
                    + b.steps + ", " + b.batchSize + ", " + b.stepSize);
        }
        this.steps = b.steps;
        this.batchSize = b.batchSize;
        this.stepSize = b.stepSize;
        this.placement = new Patch.Placement(b.minScale, b.maxScale, b.maxRotationDegrees, b.eps);
        this.loss = b.loss;
        this.imageShape = b.imageShape;
        this.rng = new SplittableRandom(b.seed);
    }

    /** A builder with the defaults listed in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains a patch on a set of images.
     *
     * @param images the training images, inside the valid range; not modified
     * @param criterion targets (targeted) or true labels (untargeted), one per image
     */
    public Patch train(DifferentiableClassifier model, INDArray images, Criterion criterion) {
        return train(model, images, criterion, new QueryCounter(images.size(0)));
    }

    /** A patch that drives every image towards {@code targetClass} (Brown et al.'s targeted patch). */
    public Patch train(DifferentiableClassifier model, INDArray images, int targetClass) {
        INDArray targets = Nd4j.zeros(images.dataType().isFPType() ? images.dataType() : Nd4j.defaultFloatingPointType(),
                images.size(0), model.numClasses());
        targets.getColumn(targetClass).assign(1.0);
        return train(model, images, Criterion.targeted(targets));
    }

    /** A patch of the given pixels [C, side, side] under this attack's placements (e.g. a baseline). */
    public Patch patch(INDArray pixels) {
        return new Patch(pixels, placement);
    }

    @Override
    protected INDArray perturb(DifferentiableClassifier model, INDArray x, Criterion criterion, QueryCounter queries) {
        Patch patch = train(model, x, criterion, queries);
        lastPatch = patch;
        return patch.place(x, shapeOf(x), rng).images();
    }

    /**
     * The patch the last {@link #generate} call trained and placed (its printable image is
     * {@link Patch#pixels()}); empty before the first call.
     */
    public Optional<Patch> lastPatch() {
        return Optional.ofNullable(lastPatch);
    }

    private Patch train(DifferentiableClassifier model, INDArray images, Criterion criterion, QueryCounter queries) {
        ImageShape image = shapeOf(images);
        image.check(images);
        int side = placement.side(image);
        int n = (int) images.size(0);
        INDArray working = workingCopy(images);
        double[] start = new double[image.channels() * side * side];
        for (int i = 0; i < start.length; i++) {
            start[i] = clipMin + (clipMax - clipMin) * rng.nextDouble();
        }
        INDArray pixels = Nd4j.create(start, new long[] {image.channels(), side, side}, 'c').castTo(working.dataType());
        double step = stepSize * criterion.direction();
        MiniBatches batches = new MiniBatches(n, batchSize, rng);
        for (int t = 0; t < steps; t++) {
            int[] batch = batches.next();
            Patch current = new Patch(pixels, placement);
            Patch.Placed placed = current.place(MiniBatches.rows(working, batch), image, rng);
            INDArray labels = MiniBatches.rows(criterion.lossLabels(), batch).castTo(working.dataType());
            INDArray gradient = model.gradient(placed.images(), loss, labels).input();
            queries.count(batch);
            pixels.addi(Transforms.sign(current.scatter(gradient, placed, image), false).muli(step));
            clipToRangeInPlace(pixels);
        }
        return new Patch(pixels, placement);
    }

    private ImageShape shapeOf(INDArray x) {
        return imageShape != null ? imageShape : ImageShape.of(x);
    }

    /** Training steps. */
    public int steps() {
        return steps;
    }

    /** Builder for {@link AdversarialPatch}; its eps is the {@linkplain #share share}. */
    public static final class Builder extends GradientAttackBuilder<Builder> {
        private int steps = 200;
        private int batchSize = 32;
        private double stepSize = 0.02;
        private double minScale = 0.8;
        private double maxScale = 1.0;
        private double maxRotationDegrees = 22.5;
        private ImageShape imageShape;

        private Builder() {
            super("patch", L0Norm.INSTANCE, 0.1, Losses.crossEntropy());
        }

        /** Largest share of the image the patch may cover: the L0 eps, the same as {@link #eps} (default 0.1). */
        public Builder share(double share) {
            return eps(share);
        }

        /** Training steps, one mini-batch each (default 200). */
        public Builder steps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Images per training step (default 32). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Signed step on each patch pixel, in input units (default 0.02). */
        public Builder stepSize(double stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** Range of the patch's scale, a share of its full size (default [0.8, 1.0]). */
        public Builder scale(double min, double max) {
            this.minScale = min;
            this.maxScale = max;
            return this;
        }

        /** Largest rotation either way, in degrees (default 22.5). */
        public Builder maxRotationDegrees(double degrees) {
            this.maxRotationDegrees = degrees;
            return this;
        }

        /** The image shape, for flat rows that {@link ImageShape#of} cannot read (default: inferred). */
        public Builder imageShape(ImageShape shape) {
            this.imageShape = shape;
            return this;
        }

        public AdversarialPatch build() {
            return new AdversarialPatch(this);
        }
    }
}
