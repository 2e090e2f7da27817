package io.skyhaul.linkem;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs test code on a fresh thread that has entered a named network namespace with
 * {@code setns}. On Linux the network namespace belongs to the thread, so sockets opened there
 * live in that namespace, and a test can talk across a {@link TunLink} without any external tool.
 */
final class NamespaceThreads {

    private NamespaceThreads() {
    }

    static <T> T call(String namespace, Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                enter(namespace);
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-in-" + namespace);
        thread.setDaemon(true);
        thread.start();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            thread.interrupt();
            throw e;
        }
    }

    private static void enter(String namespace) throws IOException {
        String path = "/var/run/netns/" + namespace;
        int fd = LinuxLibc.open(path, LinuxLibc.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(LinuxLibc.describe("open(" + path + ")", LinuxLibc.errno()));
        }
        try {
            if (LinuxLibc.setns(fd, LinuxLibc.CLONE_NEWNET) != 0) {
                throw new IOException(LinuxLibc.describe("setns(" + namespace + ")", LinuxLibc.errno()));
            }
        } finally {
            LinuxLibc.close(fd);
        }
    }
}
