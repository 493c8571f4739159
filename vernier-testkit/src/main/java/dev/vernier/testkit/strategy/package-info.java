/**
 * {@link dev.vernier.testkit.strategy.StrategyContract}: the suite every
 * {@link dev.vernier.core.strategy.Strategy} runs, over the spaces of
 * {@link dev.vernier.testkit.strategy.ContractSpaces}, with what differs between strategies
 * declared as {@link dev.vernier.testkit.strategy.StrategyContract.Capabilities}.
 */
package dev.vernier.testkit.strategy;
