package io.skyhaul.testing;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import io.skyhaul.storage.AzureAccount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azurite's blob service (the Azure Storage emulator, from npm, pinned in
 * {@code appliance/test-servers/azurite/package-lock.json} and installed there by
 * {@code scripts/install-prerequisites.sh}) as a child process on 127.0.0.1, an ephemeral port,
 * in-memory storage and no telemetry. Missing installation fails the test with what to run.
 *
 * <p>Usage: {@code AzuriteServer.shared()} (one per test JVM, stopped by a shutdown hook), then
 * {@link #account()}, {@link #createContainer(String)} and {@link #client()}, a plain SDK client
 * for checking what the server holds.
 */
public final class AzuriteServer implements AutoCloseable {
    /** Azurite's built-in development account: a well-known, public key. */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern LISTENING = Pattern.compile("successfully listens on http://127\\.0\\.0\\.1:(\\d+)");
    private static final long MEMORY_LIMIT_MB = 2048;
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static AzuriteServer shared;
    private static Error sharedFailure;

    private final TestServerProcess process;
    private final int port;
    private BlobServiceClient client;

    private AzuriteServer(TestServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static synchronized AzuriteServer shared() {
        if (sharedFailure != null) {
            throw new AssertionError("the shared server failed to start earlier in this JVM", sharedFailure);
        }
        if (shared == null) {
            try {
                shared = startPrivate();
            } catch (Error e) {
                sharedFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** Where the install script puts Azurite (relative to the appliance module). */
    public static Path installDir() {
        return TestServerProcess.moduleDir().resolve("test-servers/azurite");
    }

    public static AzuriteServer startPrivate() {
        Path main = installDir().resolve("node_modules/azurite/dist/src/blob/main.js");
        if (!Files.isRegularFile(main)) {
            throw new AssertionError("Azurite is not installed (" + main + " is missing): run scripts/install-prerequisites.sh, which installs it with npm ci");
        }
        String name = "azurite-" + INSTANCES.incrementAndGet();
        Path dir = TestServerProcess.moduleDir().resolve("target/test-servers/" + name + "-" + ProcessHandle.current().pid());
        try {
            TestServerProcess p = TestServerProcess.start(name, List.of("node", main.toString(), "--blobHost", "127.0.0.1", "--blobPort", "0",
                    "--inMemoryPersistence", "--extentMemoryLimit", String.valueOf(MEMORY_LIMIT_MB), "--skipApiVersionCheck", "--disableProductStyleUrl",
                    "--disableTelemetry", "--silent"), dir);
            Matcher m = p.await(LISTENING, START_TIMEOUT);
            return new AzuriteServer(p, Integer.parseInt(m.group(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Azurite (is node installed? run scripts/install-prerequisites.sh)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting Azurite", e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The blob endpoint, path style: {@code http://127.0.0.1:PORT/devstoreaccount1}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port + "/" + ACCOUNT);
    }

    /** The development account, authenticated by its key. */
    public AzureAccount account() {
        return AzureAccount.withKey(ACCOUNT, ACCOUNT_KEY, endpoint());
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY + ";BlobEndpoint=" + endpoint() + ";";
    }

    public static String uniqueContainerName(String hint) {
        String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-").replaceAll("-+", "-");
        String name = (base + "-" + Long.toHexString(System.nanoTime())).replaceAll("^-", "");
        return name.length() > 63 ? name.substring(name.length() - 63).replaceAll("^-", "x") : name;
    }

    public String createContainer(String name) {
        client().createBlobContainer(name);
        return name;
    }

    public BlobContainerClient container(String name) {
        return client().getBlobContainerClient(name);
    }

    /** A plain Azure SDK client of the test's own, to read back what the server holds. */
    public synchronized BlobServiceClient client() {
        if (client == null) {
            client = new BlobServiceClientBuilder().endpoint(endpoint().toString()).credential(new StorageSharedKeyCredential(ACCOUNT, ACCOUNT_KEY))
                    .buildClient();
        }
        return client;
    }

    @Override
    public void close() {
        process.close();
    }
}
