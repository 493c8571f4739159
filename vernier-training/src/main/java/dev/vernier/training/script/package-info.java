/**
 * Script mode, as SageMaker's training toolkit runs it: the {@code sagemaker_program} of a
 * {@code sagemaker_submit_directory}, unpacked to {@code code/} (/opt/ml/code), run with the user's
 * hyperparameters as command-line arguments and the toolkit's environment. Every backend uses it the
 * same way; each chooses the interpreter.
 */
package dev.vernier.training.script;
