package dev.vernier.backend.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The portable launcher: {@code setsid} in front of the command, started by ProcessBuilder (which
 * closes the server's other descriptors). Java's child is never a process group leader, so setsid
 * does not fork and the pid is the wrapper's. Costs two more execs per job than
 * {@code PosixSpawnLauncher}: jspawnhelper and setsid.
 */
final class ProcessBuilderLauncher implements WrapperLauncher {
    @Override
    public Started start(List<String> command, Path directory, Path log, Map<String, String> environment)
            throws IOException {
        List<String> cmd = new ArrayList<>(command.size() + 1);
        cmd.add("setsid");
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().clear();   // the whole environment is the one given: nothing of the server's
        pb.environment().putAll(environment);
        Process process = pb.start();
        return new Started(process.pid(), process.onExit().thenApply(p -> null));
    }
}
