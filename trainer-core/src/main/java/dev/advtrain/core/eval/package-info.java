/** Robustness evaluation: clean and robust accuracy of a model as deployed, and the report schema. */
package dev.advtrain.core.eval;
