package io.skyhaul.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad configuration stops the start with the field's path and the reason; an empty one is the newcomer's defaults. */
class ConfigLoaderTest {
    @TempDir
    Path tmp;
    final ConfigLoader loader = new ConfigLoader();

    ServeConfig load(String yaml) throws Exception {
        Path file = tmp.resolve("skyhaul.yml");
        Files.writeString(file, yaml);
        return loader.validate(loader.read(file));
    }

    String refusal(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void anEmptyFileOrNoneGivesTheDefaults() throws Exception {
        for (ServeConfig c : new ServeConfig[] {load(""), load("# nothing but a comment\n"), load("---\n"), loader.validate(loader.read(null))}) {
            assertEquals(Set.of(ServeConfig.Role.MANAGER, ServeConfig.Role.NODE), c.roles());
            assertEquals(Path.of("data"), c.data());
            assertEquals("127.0.0.1", c.http().host());
            assertEquals(8080, c.http().port());
            assertEquals(null, c.http().tls());
            assertFalse(c.http().insecureHttp());
            assertEquals(7400, c.node().udpPort());
            assertEquals("local", c.node().name());
        }
    }

    @Test
    void aFullFileIsRead() throws Exception {
        ServeConfig c = load("""
                roles: [manager, node]
                data: /var/lib/skyhaul
                http: {host: 127.0.0.1, port: 0}
                node: {name: edge-1, udpPort: 0, publicAddress: "node.example.com:7400", maxSessions: 8}
                """);
        assertEquals(Path.of("/var/lib/skyhaul"), c.data());
        assertEquals(0, c.http().port());
        assertEquals("edge-1", c.node().name());
        assertEquals("node.example.com:7400", c.node().publicAddress());
        assertEquals(8, c.node().maxSessions());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level field    | colour: blue                          | colour
            unknown nested field       | http: {host: 127.0.0.1, prot: 80}      | http.prot
            wrong type                 | http: {port: eighty}                  | http.port
            wrong type in a list       | roles: [manager, 7]                   | roles
            unknown role               | roles: [manager, relay]               | roles
            relative hot folder        | gateway: {hotFolders: [{name: a, path: rel/dir, destination: 's3://acct/b/'}]} | gateway.hotFolders[0].path
            bad hot folder destination | gateway: {hotFolders: [{name: a, path: /srv/a, destination: 'ftp://x/y/'}]}    | gateway.hotFolders[0].destination
            bad hot folder name        | gateway: {hotFolders: [{name: 'a b', path: /srv/a, destination: 's3://x/y/'}]} | gateway.hotFolders[0].name
            deletes without mirror     | gateway: {hotFolders: [{name: a, path: /srv/a, destination: 's3://x/y/', propagateDeletes: true}]} | gateway.hotFolders[0].propagateDeletes
            min above max              | gateway: {spool: {rules: {minBytes: 10, maxBytes: 5}}}  | gateway.spool.rules.minBytes
            bad extension              | gateway: {spool: {rules: {extensions: ['.mov']}}}        | gateway.spool.rules.extensions
            spool too small            | gateway: {spool: {maxBytes: 1000}}                       | gateway.spool.maxBytes
            code lifetime too short    | gatewayCodeSeconds: 1                                    | gatewayCodeSeconds
            port too high              | http: {port: 70000}                   | http.port
            negative port              | http: {port: -1}                      | http.port
            UDP port too high          | node: {udpPort: 65536}                | node.udpPort
            bad node name              | node: {name: 'has spaces'}            | node.name
            bad public address         | node: {publicAddress: nohostport}     | node.publicAddress
            no roles                   | roles: []                             | roles
            zero sessions              | node: {maxSessions: 0}                | node.maxSessions
            """)
    void aBadValueNamesItsField(String what, String yaml, String field) {
        String message = refusal(yaml);
        assertTrue(message.contains(field + ":") || message.contains(field + "["), what + ": '" + message + "' should name " + field);
        assertFalse(message.contains("at [Source"), message);
    }

    @Test
    void anUnknownFieldListsTheKnownOnes() {
        String message = refusal("http: {hots: 0.0.0.0}");
        assertTrue(message.contains("http.hots: unknown field"), message);
        assertTrue(message.contains("host") && message.contains("port") && message.contains("insecureHttp"), message);
    }

    @Test
    void notYamlIsRefusedClearly() {
        String message = refusal("http: port: 80");
        assertTrue(message.contains("not valid YAML"), message);
    }

    @Test
    void aNonLoopbackAddressNeedsTlsOrExplicitConsent() throws Exception {
        String message = refusal("http: {host: 0.0.0.0}");
        assertTrue(message.startsWith("http.host:"), message);
        assertTrue(message.contains("--insecure-http") && message.contains("http.tls"), message);
        ServeConfig c = load("http: {host: 0.0.0.0, insecureHttp: true}");
        assertTrue(c.http().insecureHttp());
        assertEquals("::1", load("http: {host: '::1'}").http().host());
    }

    @Test
    void aMissingCertificateIsRefusedAtStart() {
        String message = refusal("http: {host: 0.0.0.0, tls: {keystore: " + tmp.resolve("absent.p12") + ", keystorePassword: x}}");
        assertTrue(message.startsWith("http.tls.keystore:"), message);
    }

    @Test
    void aNodeWithoutAManagerNeedsItsUrl() {
        assertTrue(refusal("roles: [node]").startsWith("manager.url:"));
    }

    @Test
    void aGatewayWithoutAManagerNeedsItsUrl() {
        assertTrue(refusal("roles: [gateway]").startsWith("manager.url:"), refusal("roles: [gateway]"));
    }

    @Test
    void aGatewayIsReadWithItsDefaults() throws Exception {
        ServeConfig c = load("""
                roles: [gateway]
                manager: {url: "https://manager.example.com:8080"}
                gateway:
                  hotFolders:
                    - {name: dailies, path: /srv/dailies, destination: "s3://media/bucket/dailies/", include: ["*.mov"]}
                    - {name: mirror, path: /srv/archive, destination: "azure://blob/archive/", mirror: true, propagateDeletes: true}
                """);
        GatewayConfig g = c.gateway();
        assertEquals(GatewayConfig.DEFAULT_PORT, g.port());
        HotFolderConfig dailies = g.hotFolders().get(0);
        assertEquals(HotFolderConfig.AfterSuccess.MOVE, dailies.afterSuccess());
        assertEquals(Path.of("/srv/dailies/.skyhaul-done"), dailies.doneFolder());
        assertEquals(10, dailies.settleSeconds());
        assertEquals(HotFolderConfig.AfterSuccess.KEEP, g.hotFolders().get(1).afterSuccess(), "a mirror keeps its files");
        assertEquals(10L << 30, g.spool().maxBytes());
    }

    @Test
    void overlappingHotFoldersAreRefused() {
        String message = refusal("""
                roles: [gateway]
                manager: {url: "https://m.example.com"}
                gateway:
                  hotFolders:
                    - {name: a, path: /srv/media, destination: "s3://x/b/"}
                    - {name: b, path: /srv/media/dailies, destination: "s3://x/b/"}
                """);
        assertTrue(message.startsWith("gateway.hotFolders[1].path:") && message.contains("overlaps"), message);
        assertTrue(refusal("""
                roles: [gateway]
                manager: {url: "https://m.example.com"}
                gateway:
                  hotFolders:
                    - {name: a, path: /srv/a, destination: "s3://x/b/"}
                    - {name: a, path: /srv/b, destination: "s3://x/b/"}
                """).contains("names two hot folders"));
    }

    @Test
    void aGatewayOnTheNetworkNeedsTlsOrConsent() {
        String message = refusal("""
                roles: [gateway]
                manager: {url: "https://m.example.com"}
                gateway: {host: 0.0.0.0}
                """);
        assertTrue(message.startsWith("gateway.host:"), message);
    }

    @Test
    void aMissingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.read(tmp.resolve("nope.yml")));
        assertTrue(e.getMessage().contains("nope.yml") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
