/**
 * What the controller decides on each pass, as a pure function: {@link
 * dev.vernier.core.tuning.reconcile.Reconciler#decide} takes a tuning job's state (the stored job,
 * its plan, its training jobs, the metric series the stopping rules judge, the decisions already
 * taken) and answers {@link dev.vernier.core.tuning.reconcile.Decisions}: end the job, finish it
 * early, stop some training jobs, promote others, start new ones. No I/O, no clock, no randomness
 * beyond the strategy's seed: the controller gathers the state, stores the decisions, then acts,
 * and the same state always gives the same decisions (as Katib's ReconcileTrials recounts from
 * stored state on every pass).
 */
package dev.vernier.core.tuning.reconcile;
