package dev.vernier.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** After each test, kills the process groups of jobs a failed test left running below its TestJobs roots. */
final class KillsLeftoverJobs implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        Set<Long> groups = new TreeSet<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"));
                if (TestJobs.ROOTS.stream().anyMatch(cwd::startsWith))
                    LinuxProcesses.stat(p.pid()).ifPresent(s -> groups.add(s.processGroup()));
            } catch (IOException | UnsupportedOperationException e) {
                // gone, or not ours to read
            }
        });
        long self = LinuxProcesses.stat(ProcessHandle.current().pid()).map(LinuxProcesses.Stat::processGroup).orElse(-1L);
        groups.remove(self);
        for (long group : groups) GroupSignals.send("KILL", group);
        TestJobs.ROOTS.clear();
    }
}
