/** The {@code advtrain} command line: a thin picocli adapter over trainer-core. */
package dev.advtrain.cli;
