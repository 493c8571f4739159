/**
 * A job's log: its metric points ({@link dev.vernier.training.log.LogLines} over any byte stream,
 * {@link dev.vernier.training.log.LogTailer} over a file or a stream from a stored offset) and its
 * size ({@link dev.vernier.training.log.LogCap}).
 *
 * <p>Decisions, in one place:
 * <ul>
 *   <li><b>Metric lines.</b> A line ends at '\n' or '\r'; a line longer than 64 KiB is skipped;
 *       every MetricDefinitions regex is applied to every line; each point is stamped with the
 *       time the server read it (after a restart, lines written while no server ran get the time
 *       they were read).</li>
 *   <li><b>Offsets.</b> A reader stores the offset of the first line not ended yet (and whether it
 *       is an overlong one being skipped) with the points it has read, so a new server reads on
 *       without losing or repeating a point. A partial last line waits for its newline until the
 *       program has ended.</li>
 *   <li><b>Bounded reads.</b> One read takes at most a budget of bytes, so one observation's memory
 *       and time are bounded whatever the program prints.</li>
 *   <li><b>Log cap.</b> The log keeps its first {@code logCapBytes} and its last
 *       {@value dev.vernier.training.log.LogCap#DEFAULT_TAIL_BYTES} bytes; output between them is
 *       parsed for metrics as it is read and then deallocated (a punched hole, so the writer's
 *       offset stays valid), and the log is rewritten as head, marker line and tail when the
 *       program ends. A reader too far behind skips to the tail. While no server runs, nothing
 *       enforces the cap.</li>
 * </ul>
 */
package dev.vernier.training.log;
