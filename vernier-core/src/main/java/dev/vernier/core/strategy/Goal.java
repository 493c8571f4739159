package dev.vernier.core.strategy;

/** Whether a better objective is larger or smaller. */
public enum Goal {
    MINIMIZE,
    MAXIMIZE;

    public boolean isBetter(double candidate, double incumbent) {
        return this == MINIMIZE ? candidate < incumbent : candidate > incumbent;
    }
}
