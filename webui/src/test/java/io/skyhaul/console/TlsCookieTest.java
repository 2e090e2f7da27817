package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.config.HttpConfig;
import io.skyhaul.config.NodeConfig;
import io.skyhaul.config.ServeConfig;
import io.skyhaul.config.TlsConfig;
import io.skyhaul.server.SkyhaulServer;
import io.skyhaul.testing.RunningAppliance;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** On an HTTPS listener the console's cookies are also marked Secure, so a browser never sends them in clear. */
@Timeout(120)
class TlsCookieTest {
    static final String PASSWORD = "test-keystore-password";

    @TempDir
    Path dir;

    @Test
    void cookiesAreSecureOnTls() throws Exception {
        Path keystore = dir.resolve("tls.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "skyhaul",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, keytool.exitValue(), new String(keytool.getInputStream().readAllBytes()));

        ServeConfig config = ServeConfig.defaults().withData(dir.resolve("data"))
                .withHttp(new HttpConfig("127.0.0.1", 0, new TlsConfig(keystore, PASSWORD), false)).withNode(NodeConfig.defaults().withUdpPort(0));
        try (SkyhaulServer server = SkyhaulServer.start(config, Map.of(SkyhaulServer.ADMIN_PASSWORD_ENV, RunningAppliance.ADMIN_PASSWORD))) {
            assertTrue(server.baseUrl().startsWith("https://"), server.baseUrl());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trust.load(in, PASSWORD.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            ConsoleHttp b = new ConsoleHttp(server.baseUrl(), HttpClient.newBuilder().sslContext(ssl));

            ConsoleHttp.Page form = b.get("/signin");
            List<String> signInCookies = form.setCookies();
            assertEquals(1, signInCookies.size(), signInCookies.toString());
            assertTrue(signInCookies.get(0).endsWith("; HttpOnly; SameSite=Lax; Secure"), signInCookies.get(0));
            ConsoleHttp.Page in = b.post("/signin", "username", "admin", "password", RunningAppliance.ADMIN_PASSWORD);
            assertEquals(303, in.status(), in.toString());
            String session = in.setCookies().stream().filter(c -> c.startsWith("skyhaul_session=")).findFirst().orElseThrow();
            assertTrue(session.endsWith("; Path=/; HttpOnly; SameSite=Lax; Secure"), session);
            assertTrue(b.get("/").body().contains("<h1>Dashboard</h1>"));
        }
    }
}
