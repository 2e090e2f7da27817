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
            unknown role               | roles: [manager, gateway]             | roles
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
    void aMissingFileIsNamed() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.read(tmp.resolve("nope.yml")));
        assertTrue(e.getMessage().contains("nope.yml") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
