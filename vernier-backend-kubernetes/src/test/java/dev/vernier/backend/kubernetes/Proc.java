package dev.vernier.backend.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One container of a {@link PodRun} as a process: {@code unshare} gives it PID, mount and UTS
 * namespaces; a small shell script mounts its image's files and volumes and sets the host name, then
 * execs the container's command, which so becomes PID 1 (signals it has no handler for are ignored,
 * and everything it started dies with it, as in a container). Its stdout and stderr go to one log, kept as a container runtime keeps it ({@link ContainerLog}).
 */
final class Proc {
    private static final int TERMINATION_MESSAGE_LIMIT = 4096;

    private final Container container;
    private final Process process;
    private final Path tmp;
    private final PodRun pod;
    private final java.io.File log;
    private final Thread logging;

    private Proc(Container container, Process process, Path tmp, PodRun pod, java.io.File log, Thread logging) {
        this.container = container;
        this.process = process;
        this.tmp = tmp;
        this.pod = pod;
        this.log = log;
        this.logging = logging;
    }

    static Proc start(Container c, PodRun pod) {
        Kubelet.Image image = pod.kubelet().image(c.getImage());
        try {
            Path dir = Files.createDirectories(pod.directory().resolve("containers").resolve(c.getName()));
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path log = dir.resolve("log");
            Files.write(log, new byte[0]);
            pod.kubelet().logTo(pod.pod().getMetadata().getName(), c, log);
            StringBuilder script = new StringBuilder("set -e\nmount -t tmpfs tmpfs /opt\n");
            for (var file : image.files().entrySet()) bind(script, file.getValue(), file.getKey(), true);
            for (VolumeMount m : c.getVolumeMounts())
                bind(script, m.getSubPath() == null || m.getSubPath().isEmpty() ? pod.volume(m.getName())
                        : Files.createDirectories(pod.volume(m.getName()).resolve(m.getSubPath())),
                        m.getMountPath(), Boolean.TRUE.equals(m.getReadOnly()));
            if (pod.hostsFile() != null)   // the cluster DNS's stand-in for the pod's headless Service (before /tmp hides it)
                script.append("mount --bind ").append(quote(pod.hostsFile().toString())).append(" /etc/hosts\n");
            bind(script, tmp, "/tmp", false);
            Map<String, String> env = pod.environment(c, image);
            script.append("hostname ").append(quote(env.get("HOSTNAME"))).append("\ncd /\nexec \"$@\"\n");
            // The environment goes through env(1), not the shell, which would drop names such as SM_HP_LEARNING-RATE.
            List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--uts", "--pid", "--fork", "--mount-proc",
                    "sh", "-c", script.toString(), "sh", "env", "-i"));
            env.forEach((k, v) -> argv.add(k + "=" + v));
            argv.addAll(Kubelet.argv(c, image));
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().clear();
            builder.environment().put("PATH", Kubelet.PATH);
            Process process = builder.start();
            return new Proc(c, process, tmp, pod, log.toFile(), ContainerLog.pump(process.getInputStream(), log,
                    pod.pod().getMetadata().getName() + "/" + c.getName()));
        } catch (IOException e) {
            throw PodRun.unchecked(e);
        }
    }

    private static void bind(StringBuilder script, Path host, String at, boolean readOnly) {
        if (!at.startsWith("/opt/") && !at.equals("/tmp"))
            throw new IllegalArgumentException("the test kubelet mounts only below /opt and at /tmp: " + at);
        script.append("mkdir -p ").append(quote(at)).append("\nmount --bind ").append(quote(host.toString())).append(' ')
                .append(quote(at)).append('\n');
        if (readOnly) script.append("mount -o remount,bind,ro ").append(quote(at)).append('\n');
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    Container container() {
        return container;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The container's PID 1 (unshare's child), once it is there. */
    private ProcessHandle init() {
        return process.toHandle().children().findFirst().orElse(null);
    }

    /** Sends TERM or KILL to PID 1 (KILL also to unshare, should PID 1 not be there yet). */
    void signal(String signal) {
        ProcessHandle init = init();
        if (init != null) {
            if (signal.equals("KILL")) init.destroyForcibly();
            else init.destroy();
        }
        if (signal.equals("KILL")) process.destroyForcibly();
    }

    /** Whether the startup probe passes: its exec command run in the container's mount namespace. */
    boolean probe() throws InterruptedException {
        if (container.getStartupProbe() == null) return true;
        ProcessHandle init = init();
        if (init == null) return false;
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target", Long.toString(init.pid()), "--mount", "--"));
        argv.addAll(container.getStartupProbe().getExec().getCommand());
        try {
            Process probe = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for the exit; SIGKILL once {@code deadline} (System.nanoTime()) has passed. A failure's log goes to stderr. */
    int waitFor(LongSupplier deadline) throws InterruptedException {
        while (!process.waitFor(50, TimeUnit.MILLISECONDS))
            if (System.nanoTime() > deadline.getAsLong()) signal("KILL");
        int code = process.exitValue();
        logging.join(10_000);   // the runtime's last records are written before the exit is reported
        if (code != 0 && Boolean.getBoolean("kubelet.debug")) {
            try {
                System.err.println("kubelet: container " + container.getName() + " exited " + code + ":\n"
                        + Files.readString(log.toPath()));
            } catch (IOException e) {
                System.err.println("kubelet: " + e);
            }
        }
        return code;
    }

    /** What the container left at its terminationMessagePath, at most 4 KiB, or null. */
    String terminationMessage() {
        String at = container.getTerminationMessagePath() == null ? "/dev/termination-log" : container.getTerminationMessagePath();
        Path file = pod.hostPath(container, tmp, at);
        if (file == null || !Files.isRegularFile(file)) return null;
        try (InputStream in = Files.newInputStream(file)) {
            String text = new String(in.readNBytes(TERMINATION_MESSAGE_LIMIT), StandardCharsets.UTF_8);
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            return null;
        }
    }
}
