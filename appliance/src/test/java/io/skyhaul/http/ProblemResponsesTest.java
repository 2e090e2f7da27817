package io.skyhaul.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningAppliance.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every error is an RFC 9457 problem with a clear message and, for invalid input, the field's path; never a stack trace. */
@Timeout(60)
class ProblemResponsesTest {
    static final Pattern JAVA_NAME = Pattern.compile("\\b(io\\.skyhaul|java\\.(lang|util|time|net)|jakarta|com\\.fasterxml|org\\.glassfish)\\.");
    static final Pattern STACK_TRACE = Pattern.compile("\\bat (io|org|java|jakarta|com)\\.[\\w.$]+\\(|Exception:|\\.java:\\d+");

    @TempDir
    static Path tmp;
    static RunningAppliance appliance;
    static String token;
    static final List<Reply> seen = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        appliance = RunningAppliance.start(tmp.resolve("data"));
        token = appliance.adminToken();
    }

    @AfterAll
    static void stop() {
        appliance.close();
        for (Reply r : seen) {
            assertFalse(STACK_TRACE.matcher(r.body()).find(), "a stack trace on the wire: " + r);
            assertFalse(JAVA_NAME.matcher(r.body()).find(), "a Java class name on the wire: " + r);
        }
    }

    static JsonNode problem(int status, Reply r) {
        seen.add(r);
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.isProblem(), "content type " + r.contentType() + ": " + r);
        JsonNode p = r.json();
        assertEquals(status, p.path("status").asInt(), r.toString());
        assertTrue(p.path("type").asText().startsWith("/problems/"), r.toString());
        assertFalse(p.path("title").asText().isEmpty(), r.toString());
        assertFalse(p.path("detail").asText().isEmpty(), r.toString());
        return p;
    }

    static TreeSet<String> fields(JsonNode p) {
        TreeSet<String> out = new TreeSet<>();
        p.path("errors").forEach(e -> {
            assertFalse(e.path("message").asText().isEmpty(), p.toString());
            out.add(e.path("field").asText());
        });
        return out;
    }

    Reply post(String path, String body) {
        return appliance.request("POST", "/api/v1/" + path, body, token);
    }

    @Test
    void invalidFieldsAreNamedByTheirPath() {
        JsonNode p = problem(400, post("accounts", """
                {"name": "Bad Name!", "kind": "s3", "s3": {"accessKeyId": "", "region": "Not A Region", "endpoint": "ftp://x"}}"""));
        assertEquals("/problems/invalid-request", p.path("type").asText());
        assertEquals(new TreeSet<>(List.of("name", "s3.accessKeyId", "s3.endpoint", "s3.region")), fields(p), p.toString());

        p = problem(400, post("transfers", """
                {"direction": "upload", "location": "local://local/inbox/", "files": [{"path": "a", "size": 1}, {"path": "", "size": -5}]}"""));
        assertEquals(new TreeSet<>(List.of("files[1].path", "files[1].size")), fields(p), p.toString());

        p = problem(400, post("transfers", """
                {"direction": "upload", "location": "local://local/inbox/", "files": [{"path": "../../etc/passwd", "size": 1}]}"""));
        assertEquals(new TreeSet<>(List.of("files[0].path")), fields(p), p.toString());

        p = problem(400, post("transfers", """
                {"direction": "upload", "location": "nowhere", "files": [{"path": "a", "size": 1}]}"""));
        assertEquals(new TreeSet<>(List.of("location")), fields(p), p.toString());

        p = problem(400, post("users", """
                {"username": "new user with spaces", "password": "", "role": "admin"}"""));
        assertEquals(new TreeSet<>(List.of("password", "username")), fields(p), p.toString());

        p = problem(400, post("partner-tokens", """
                {"name": "p", "location": "local://local/inbox/", "direction": "upload", "expiresAt": "2001-01-01T00:00:00Z", "maxBytes": 0}"""));
        assertEquals(new TreeSet<>(List.of("expiresAt", "maxBytes")), fields(p), p.toString());
    }

    @Test
    void wrongTypesAndUnknownValuesNameTheField() {
        JsonNode p = problem(400, post("transfers", """
                {"direction": "upload", "location": "local://local/inbox/", "files": [{"path": "a", "size": "big"}]}"""));
        assertEquals(new TreeSet<>(List.of("files[0].size")), fields(p), p.toString());

        p = problem(400, post("transfers", """
                {"direction": "sideways", "location": "local://local/inbox/"}"""));
        assertEquals(new TreeSet<>(List.of("direction")), fields(p), p.toString());
        assertTrue(p.path("detail").asText().contains("one of download, upload"), p.toString());

        p = problem(400, post("users", """
                {"username": "x", "password": "long-enough-password", "role": "superuser"}"""));
        assertEquals(new TreeSet<>(List.of("role")), fields(p), p.toString());
        assertTrue(p.path("detail").asText().contains("admin, operator or read-only"), p.toString());

        p = problem(400, post("transfers", """
                {"direction": "upload", "location": "local://local/inbox/", "files": "all of them"}"""));
        assertEquals(new TreeSet<>(List.of("files")), fields(p), p.toString());
        p = problem(400, post("partner-tokens", """
                {"name": "p", "location": "local://local/inbox/", "direction": "upload", "expiresAt": "next tuesday"}"""));
        assertEquals(new TreeSet<>(List.of("expiresAt")), fields(p), p.toString());
    }

    @Test
    void anUnknownFieldIsRefusedByName() {
        JsonNode p = problem(400, post("users", """
                {"username": "carol", "password": "long-enough-password", "role": "operator", "isAdmin": true}"""));
        assertEquals(new TreeSet<>(List.of("isAdmin")), fields(p), p.toString());
        assertTrue(p.path("detail").asText().contains("isAdmin"), p.toString());
        p = problem(400, post("accounts", """
                {"name": "x", "kind": "local", "local": {"path": "/tmp", "readOnly": true}}"""));
        assertEquals(new TreeSet<>(List.of("local.readOnly")), fields(p), p.toString());
        appliance.expect(200, appliance.get("users", token)).forEach(u -> assertFalse(u.path("username").asText().equals("carol"),
                "carol was not created"));
    }

    @Test
    void malformedOrMissingBodiesAre400() {
        JsonNode p = problem(400, post("transfers", "{\"direction\": \"upload\", "));
        assertTrue(p.path("detail").asText().contains("not valid JSON"), p.toString());
        problem(400, post("transfers", "[1, 2, 3]"));
        p = problem(400, appliance.request("POST", "/api/v1/accounts", null, token));
        assertFalse(fields(p).isEmpty() && p.path("detail").asText().isEmpty(), p.toString());
        p = problem(400, post("auth/login", "not json at all"));
        assertTrue(p.path("detail").asText().contains("not valid JSON"), p.toString());
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        JsonNode p = problem(404, appliance.request("GET", "/api/v1/no-such-thing", null, token));
        assertEquals("/problems/not-found", p.path("type").asText());
        problem(404, appliance.request("GET", "/api/v1/no-such-thing", null, null));
        p = problem(404, appliance.get("transfers/0000000000000000", token));
        assertTrue(p.path("detail").asText().contains("0000000000000000"), p.toString());
        problem(404, appliance.get("accounts/nope", token));
        Reply wrongMethod = appliance.request("DELETE", "/api/v1/transfers", null, token);
        problem(405, wrongMethod);
        Reply wrongType = appliance.request("POST", "/api/v1/users", "username=x", token);
        seen.add(wrongType);
        assertTrue(wrongType.status() == 400 || wrongType.status() == 415, wrongType.toString());
    }

    @Test
    void aConflictAndABadQueryAreProblems() {
        JsonNode p = problem(409, post("accounts", """
                {"name": "local", "kind": "local", "local": {"path": "/tmp/elsewhere"}}"""));
        assertTrue(p.path("detail").asText().contains("already exists"), p.toString());
        p = problem(400, appliance.get("transfers?since=yesterday", token));
        assertEquals(new TreeSet<>(List.of("since")), fields(p), p.toString());
        p = problem(400, appliance.get("transfers?limit=0", token));
        assertEquals(new TreeSet<>(List.of("limit")), fields(p), p.toString());
        p = problem(400, post("accounts", """
                {"name": "rel", "kind": "local", "local": {"path": "relative/dir"}}"""));
        assertEquals(new TreeSet<>(List.of("local.path")), fields(p), p.toString());
    }

    @Test
    void aWrongPasswordIsA401WithoutSayingWhichPartWasWrong() {
        JsonNode p = problem(401, appliance.post("auth/login", Map.of("username", "admin", "password", "wrong password"), null));
        JsonNode q = problem(401, appliance.post("auth/login", Map.of("username", "nobody", "password", "wrong password"), null));
        assertEquals(p.path("detail").asText(), q.path("detail").asText());
    }
}
