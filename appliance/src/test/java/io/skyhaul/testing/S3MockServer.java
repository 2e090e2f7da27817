package io.skyhaul.testing;

import io.skyhaul.storage.S3Account;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adobe S3Mock (the real S3-compatible server, from Maven Central, copied to
 * {@code target/test-servers/s3mock-exec.jar} at process-test-resources) as a child process on
 * 127.0.0.1 only.
 *
 * <p>S3Mock's plain-HTTP connector is an extra Tomcat connector without an address, so it would
 * listen on every interface ({@code --server.address} covers only the HTTPS port). We replace that
 * connector bean by one bound to 127.0.0.1: a Spring XML bean definition given through
 * {@code spring.main.sources} (bean overriding allowed), which Spring lets win over S3Mock's own
 * {@code @Bean}. Both ports are ephemeral (0) and read from the start-up log line.
 *
 * <p>Usage: {@code S3MockServer.shared()} (one per test JVM, started on first use, stopped by a
 * shutdown hook), then {@link #account()}, {@link #createBucket(String)} and {@link #client()},
 * a plain SDK client for checking what the server holds. {@link #startPrivate()} gives a server
 * of one's own (to kill, say), closed by the caller.
 */
public final class S3MockServer implements AutoCloseable {
    public static final String ACCESS_KEY = "skyhaul-test-access";
    public static final String SECRET_KEY = "skyhaul-test-secret";
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern STARTED = Pattern.compile("Tomcat started on ports? (\\d+) \\(https\\), (\\d+) \\(http\\)");
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static S3MockServer shared;
    private static Error sharedFailure;

    private final TestServerProcess process;
    private final int httpPort;
    private final int httpsPort;
    private S3Client client;

    private S3MockServer(TestServerProcess process, int httpsPort, int httpPort) {
        this.process = process;
        this.httpsPort = httpsPort;
        this.httpPort = httpPort;
    }

    /** The server shared by every test of this JVM. */
    public static synchronized S3MockServer shared() {
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

    /** A server of the caller's own; close it when done. */
    public static S3MockServer startPrivate() {
        Path jar = TestServerProcess.moduleDir().resolve("target/test-servers/s3mock-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("S3Mock is missing at " + jar + ": run the tests through Maven (process-test-resources copies it there)");
        }
        String name = "s3mock-" + INSTANCES.incrementAndGet();
        Path dir = TestServerProcess.moduleDir().resolve("target/test-servers/" + name + "-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(dir.resolve("store"));
            Path beans = dir.resolve("loopback-http-connector.xml");
            Files.writeString(beans, loopbackConnector(), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", jar.toString(),
                    "--server.address=127.0.0.1", "--server.port=0", "--http.port=0",
                    "--spring.main.sources=" + beans.toUri(), "--spring.main.allow-bean-definition-overriding=true",
                    "--com.adobe.testing.s3mock.store.root=" + dir.resolve("store"),
                    "--com.adobe.testing.s3mock.store.retainFilesOnExit=false",
                    "--com.adobe.testing.s3mock.max-payload-size=64MB",
                    "--spring.jmx.enabled=false", "--management.endpoints.access.default=none"));
            TestServerProcess p = TestServerProcess.start(name, command, dir);
            Matcher m = p.await(STARTED, START_TIMEOUT);
            return new S3MockServer(p, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start S3Mock", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting S3Mock", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public int httpsPort() {
        return httpsPort;
    }

    public long pid() {
        return process.pid();
    }

    /** The account our storage code is given (S3Mock accepts any credentials). */
    public S3Account account() {
        return new S3Account(ACCESS_KEY, SECRET_KEY, REGION, endpoint(), true);
    }

    /** A fresh bucket name, unique in this JVM, with {@code hint} for reading logs. */
    public static String uniqueBucketName(String hint) {
        return (hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + "-" + Long.toHexString(System.nanoTime())).replaceAll("-+", "-");
    }

    /** Creates a bucket and returns its name. */
    public String createBucket(String name) {
        client().createBucket(b -> b.bucket(name));
        return name;
    }

    /** A plain AWS SDK client of the test's own, to read back what the server holds. */
    public synchronized S3Client client() {
        if (client == null) {
            client = S3Client.builder().region(Region.of(REGION)).endpointOverride(endpoint()).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY))).build();
        }
        return client;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (private servers only: the shared one serves other tests). */
    public void kill() throws InterruptedException {
        if (this == shared) {
            throw new IllegalStateException("do not kill the shared S3Mock; use startPrivate()");
        }
        process.kill();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        process.close();
    }

    /** S3Mock's plain-HTTP connector bound to 127.0.0.1 (its own binds every interface); scripts/s3-test-server.sh uses the same file. */
    private static final String LOOPBACK_CONNECTOR_RESOURCE = "s3mock-loopback-connector.xml";

    private static String loopbackConnector() throws IOException {
        try (var in = S3MockServer.class.getResourceAsStream(LOOPBACK_CONNECTOR_RESOURCE)) {
            if (in == null) {
                throw new IOException(LOOPBACK_CONNECTOR_RESOURCE + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@PORT@", "0");
        }
    }

}
