/**
 * When a tuning job may finish before its budget is spent: SageMaker's
 * {@code TuningJobCompletionCriteria} (target value, the 1% not-improving rule, convergence).
 * Pure functions over the finished jobs' objectives, in the order they finished.
 */
package dev.vernier.core.completion;
