/**
 * The losses of the TRADES and MART training recipes as DL4J output-layer losses
 * ({@link dev.advtrain.core.train.loss.TradesLoss}, {@link dev.advtrain.core.train.loss.MartLoss}),
 * and the KL-maximising inner attack of TRADES ({@link dev.advtrain.core.train.loss.TradesAttack})
 * with the loss it ascends ({@link dev.advtrain.core.train.loss.KlDivergenceLoss}).
 *
 * <p><b>Stacked minibatch.</b> Both training losses take 2N rows: the N clean examples, then their N
 * adversarial versions in the same order (row N+i is the adversarial version of row i). Labels are
 * one-hot [2N, C]; only the clean half's are read.
 *
 * <p><b>Scaling.</b> DL4J divides the loss's summed score by the row count (2N) when it reports the
 * score, and the updater divides the parameter gradient by the minibatch size (2N). The summed score
 * is therefore {@code 2 * sum_i loss_i} over the N pairs, with the gradient of that sum, so what DL4J
 * reports and optimises is the papers' mean over pairs, {@code (1/N) sum_i loss_i}. The per-row score
 * array ({@code computeScoreArray}, [2N, 1]) gives both rows of a pair that pair's loss: it sums to
 * the summed score and its mean is the mean over pairs.
 */
package dev.advtrain.core.train.loss;
