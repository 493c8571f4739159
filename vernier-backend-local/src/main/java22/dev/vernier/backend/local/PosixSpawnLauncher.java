package dev.vernier.backend.local;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts the wrapper with glibc's {@code posix_spawnp} and {@code POSIX_SPAWN_SETSID}: the only
 * exec is the wrapper's shell, where ProcessBuilder needs three (jspawnhelper, setsid, sh). On a
 * virtual machine whose page-table updates are slow, an exec costs several milliseconds of CPU,
 * which is most of a short job's overhead (docs/benchmarks.md).
 *
 * <p>The child's file actions do what ProcessBuilder does: stdin from /dev/null, stdout appended to
 * the log, stderr to stdout, every other descriptor closed (the server's listening socket must not
 * outlive it in a training job), the job's directory as working directory; its signal mask is
 * emptied (glibc resets handled signals to their default itself). A pooled platform thread per
 * running wrapper waits for it with {@code waitpid} (as the JDK's own process reaper does), so
 * that its end is seen at once.
 *
 * <p>Compiled from src/main/java22 (java.lang.foreign is final since Java 22) and loaded by
 * reflection; needs glibc 2.34 or later ({@code posix_spawn_file_actions_addclosefrom_np}).
 * Without it, {@link ProcessBuilderLauncher} is used.
 */
final class PosixSpawnLauncher implements WrapperLauncher {
    private static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_APPEND = 02000;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    private static final int EINTR = 4;
    /** posix_spawnattr_t is 336 bytes and posix_spawn_file_actions_t 80 on 64-bit glibc; sigset_t 128. */
    private static final long OPAQUE_BYTES = 1024;

    /**
     * Threads that wait for wrappers, reused as the JDK's own process reaper threads are: starting a
     * thread per job (its stack mapped and unmapped) cost ~1.7 ms of CPU per job on a 2-core VM.
     */
    private static final ExecutorService REAPERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon()
            .name("vernier-reaper-", 0).stackSize(256 * 1024).factory());

    private final MethodHandle spawnp, attrInit, attrDestroy, attrSetFlags, attrSetSigMask, sigEmptySet,
            actionsInit, actionsDestroy, addOpen, addDup2, addCloseFrom, addChdir, waitpid;
    private final StructLayout callState = Linker.Option.captureStateLayout();
    private final VarHandle errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    PosixSpawnLauncher() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        spawnp = handle(linker, libc, "posix_spawnp",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        attrInit = handle(linker, libc, "posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        attrDestroy = handle(linker, libc, "posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        attrSetFlags = handle(linker, libc, "posix_spawnattr_setflags",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        attrSetSigMask = handle(linker, libc, "posix_spawnattr_setsigmask",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        sigEmptySet = handle(linker, libc, "sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        actionsInit = handle(linker, libc, "posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        actionsDestroy = handle(linker, libc, "posix_spawn_file_actions_destroy",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        addOpen = handle(linker, libc, "posix_spawn_file_actions_addopen",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        addDup2 = handle(linker, libc, "posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        addCloseFrom = handle(linker, libc, "posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        addChdir = handle(linker, libc, "posix_spawn_file_actions_addchdir_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        waitpid = linker.downcallHandle(libc.find("waitpid").orElseThrow(() -> missing("waitpid")),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle handle(Linker linker, SymbolLookup libc, String name, FunctionDescriptor type) {
        return linker.downcallHandle(libc.find(name).orElseThrow(() -> missing(name)), type);
    }

    private static IllegalStateException missing(String name) {
        return new IllegalStateException("the C library has no " + name);
    }

    @Override
    public Started start(List<String> command, Path directory, Path log, Map<String, String> environment)
            throws IOException {
        Map<String, String> env = environment;   // the whole environment: nothing of the server's
        int pid;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(OPAQUE_BYTES, 16);
            MemorySegment actions = arena.allocate(OPAQUE_BYTES, 16);
            MemorySegment noSignals = arena.allocate(OPAQUE_BYTES, 16);
            check("posix_spawnattr_init", (int) attrInit.invokeExact(attr));
            check("posix_spawn_file_actions_init", (int) actionsInit.invokeExact(actions));
            try {
                check("sigemptyset", (int) sigEmptySet.invokeExact(noSignals));
                check("posix_spawnattr_setsigmask", (int) attrSetSigMask.invokeExact(attr, noSignals));
                check("posix_spawnattr_setflags",
                        (int) attrSetFlags.invokeExact(attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK)));
                check("addchdir", (int) addChdir.invokeExact(actions, arena.allocateFrom(directory.toString())));
                check("addopen", (int) addOpen.invokeExact(actions, 0, arena.allocateFrom("/dev/null"), O_RDONLY, 0));
                check("addopen", (int) addOpen.invokeExact(actions, 1,
                        arena.allocateFrom(log.toAbsolutePath().toString()), O_WRONLY | O_APPEND | O_CREAT, 0600));
                check("adddup2", (int) addDup2.invokeExact(actions, 1, 2));
                check("addclosefrom", (int) addCloseFrom.invokeExact(actions, 3));
                MemorySegment argv = strings(arena, command);
                MemorySegment envp = strings(arena, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
                MemorySegment pidOut = arena.allocate(JAVA_INT);
                int error = (int) spawnp.invokeExact(pidOut, arena.allocateFrom(command.get(0)), actions, attr, argv, envp);
                if (error != 0)
                    throw new IOException("cannot start " + command.get(0) + " in " + directory + ": posix_spawnp error " + error);
                pid = pidOut.get(JAVA_INT, 0);
            } finally {
                int ignored = (int) actionsDestroy.invokeExact(actions);
                ignored = (int) attrDestroy.invokeExact(attr);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        CompletableFuture<Void> exited = new CompletableFuture<>();
        REAPERS.execute(() -> awaitExit(pid, exited));
        return new Started(pid, exited);
    }

    /** Blocks in waitpid until the wrapper has exited, and reaps it. */
    private void awaitExit(int pid, CompletableFuture<Void> exited) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            MemorySegment state = arena.allocate(callState);
            while (true) {
                int r = (int) waitpid.invokeExact(state, pid, status, 0);
                if (r != -1 || (int) errno.get(state, 0L) != EINTR) break;   // ECHILD cannot happen: nobody else waits for it
            }
        } catch (Throwable t) {
            exited.completeExceptionally(t);
            return;
        }
        exited.complete(null);
    }

    /** A NULL-terminated array of C strings; like ProcessBuilder, refuses a NUL that C would cut the string at. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).indexOf('\0') >= 0)
                throw new IllegalArgumentException("a NUL character in an argument or environment variable: "
                        + values.get(i).substring(0, values.get(i).indexOf('\0')));
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(String call, int result) throws IOException {
        if (result != 0) throw new IOException(call + " failed with error " + result);
    }
}
