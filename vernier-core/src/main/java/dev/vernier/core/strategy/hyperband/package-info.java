/**
 * How Hyperband decides: {@link dev.vernier.core.strategy.hyperband.HyperbandSchedule} (brackets,
 * rungs, which bracket a job belongs to), {@link dev.vernier.core.strategy.hyperband.SuccessiveHalvingRule}
 * (asynchronous promotion at a rung) and {@link dev.vernier.core.strategy.hyperband.HyperbandStrategy}
 * (what to try next).
 */
package dev.vernier.core.strategy.hyperband;
