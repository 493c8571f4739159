package dev.vernier.backend.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What /proc says about a process, and signals to whole process groups (ProcessHandle can only
 * signal single processes). Linux only, as is the local backend.
 */
final class LinuxProcesses {
    private LinuxProcesses() {}

    /** Fields of /proc/&lt;pid&gt;/stat that identify a process: state, process group, start time in clock ticks since boot. */
    record Stat(char state, long processGroup, long startTicks) {
        boolean isZombie() {
            return state == 'Z' || state == 'X';
        }
    }

    static Optional<Stat> stat(long pid) {
        Path file = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(file)) return Optional.empty();   // gone: cheaper to ask than to catch
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
            String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
            // f[0] is field 3 (state), f[2] field 5 (pgrp), f[19] field 22 (starttime).
            return Optional.of(new Stat(f[0].charAt(0), Long.parseLong(f[2]), Long.parseLong(f[19])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code pid} is still the very process that started at {@code startTicks}, and not a zombie. */
    static boolean isAlive(long pid, long startTicks) {
        if (pid <= 0 || startTicks < 0) return false;
        return stat(pid).filter(s -> s.startTicks() == startTicks && !s.isZombie()).isPresent();
    }

    /** A wrapper launched a moment ago may not have called setsid yet: its group does not exist until it has. */
    private static void awaitOwnGroup(long pid) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline
                && stat(pid).filter(s -> s.processGroup() != pid && !s.isZombie()).isPresent()) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Sends {@code signal} (TERM, KILL) to process group {@code pgid} when the group is ours: its
     * leader {@code pid == pgid} is the process that started at {@code startTicks} (alive or a
     * zombie), or is gone altogether. In the latter case any process still in group {@code pgid}
     * is one of ours, because Linux does not hand out a pid while a group of that number exists.
     */
    static void signalGroup(long pgid, long startTicks, String signal) {
        if (pgid <= 1) return;
        Optional<Stat> leader = stat(pgid);
        if (leader.isPresent() && leader.get().startTicks() != startTicks) return;   // pid reused: not ours
        if (leader.isPresent() && leader.get().processGroup() != pgid) awaitOwnGroup(pgid);
        GroupSignals.send(signal, pgid);   // false: the group is already empty, nothing to do
    }
}
