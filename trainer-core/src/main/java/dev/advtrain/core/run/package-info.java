/** Run directories, checkpoints and resume, the metrics file, and the whole training run. */
package dev.advtrain.core.run;
