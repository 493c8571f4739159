package dev.vernier.training.run;

import java.time.Instant;
import java.util.Objects;

/**
 * How a program ended, as recorded where the backend learns it (the wrapper's exit_code file, a
 * pod's terminated state...).
 *
 * @param code  the exit status (128+N when killed by signal N), or null when what was recorded is not a number
 * @param at    when it ended
 */
public record ExitStatus(Integer code, Instant at) {
    public ExitStatus {
        Objects.requireNonNull(at, "at");
    }
}
