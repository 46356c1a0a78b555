/** The built-in classifiers and their optimiser and learning rate schedules. */
package dev.advtrain.core.model;
