package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.ChildJvm;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.S3MockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium against a whole appliance on loopback and a real S3
 * server (S3Mock): an admin signs in, adds an S3 account, tests it, issues a partner token, a
 * partner sends a file with the CLI (a child JVM, rate-limited so that it lasts a few seconds)
 * while the dashboard shows its progress without a reload; the admin revokes the token and the
 * partner is refused; forged forms are refused; a read-only user can change nothing. Screenshots
 * of the main pages go to target/screenshots (docs/console.md uses them).
 */
@Timeout(300)
class ConsoleBrowserTest {
    static final int FILE_BYTES = 40 << 20;
    static final String MAX_RATE = "40m";

    @TempDir
    static Path data;
    static RunningAppliance appliance;
    static S3MockServer s3;
    final List<ChildJvm> children = new ArrayList<>();
    HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3MockServer.shared();
        appliance = RunningAppliance.start(data.resolve("appliance"));
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = new HeadlessChromium(1280, 860);
    }

    @AfterEach
    void closeAll() throws InterruptedException {
        for (ChildJvm c : children) {
            if (c.process().isAlive()) {
                c.kill();
            }
        }
        if (browser != null) {
            browser.close();
        }
    }

    WebDriverWait waiting(int seconds) {
        return browser.waiting(seconds);
    }

    void open(String path) {
        browser.driver.get(appliance.baseUrl() + path);
    }

    WebElement find(String css) {
        return browser.find(css);
    }

    void type(String name, String text) {
        browser.type(name, text);
    }

    String text() {
        return browser.text();
    }

    void signIn(String user, String password) {
        browser.signIn(appliance.baseUrl(), user, password);
    }

    ChildJvm send(String name, Path file, String location, String token) throws Exception {
        Path config = Files.createDirectories(data.resolve("cli-" + name));
        ChildJvm c = ChildJvm.start(data, name, Map.of("SKYHAUL_SERVER", appliance.baseUrl(), "SKYHAUL_CONFIG_DIR", config.toString()), null,
                "send", file.toString(), location, "--token", token, "--max-rate", MAX_RATE);
        children.add(c);
        return c;
    }

    @Test
    void anAdminRunsAPartnerUploadFromTheBrowser() throws Exception {
        String bucket = s3.createBucket(S3MockServer.uniqueBucketName("console"));
        open("/");
        assertTrue(browser.driver.getCurrentUrl().endsWith("/signin"), browser.driver.getCurrentUrl());
        browser.screenshot("signin");
        signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        assertEquals("Dashboard", find("h1").getText());

        // An S3 account on the real S3 server, through the form; a bad endpoint first, to see the message beside the field.
        open("/accounts");
        find("#new-s3").click();
        waiting(10).until(d -> d.getCurrentUrl().contains("/accounts/new"));
        type("name", "media");
        type("s3.accessKeyId", S3MockServer.ACCESS_KEY);
        type("s3.secretAccessKey", S3MockServer.SECRET_KEY);
        type("s3.region", S3MockServer.REGION);
        type("s3.endpoint", "ftp://" + s3.endpoint().getAuthority());
        find("input[name='s3.pathStyle']").click();
        find("#save").click();
        // The click submits the form; the answer is a new page, which may not have arrived when click() returns.
        String endpointError = waiting(10).until(d -> d.findElements(By.cssSelector("[id='s3.endpoint-error']")).stream().findFirst()
                .map(WebElement::getText).orElse(null));
        assertEquals("must be an http or https URL", endpointError);
        assertEquals("", browser.driver.findElement(By.name("s3.secretAccessKey")).getAttribute("value"), "a secret is never sent back to the page");
        type("s3.secretAccessKey", S3MockServer.SECRET_KEY);
        type("s3.endpoint", s3.endpoint().toString());
        find("#save").click();
        waiting(10).until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("Storage account 'media' created."));
        type("bucket", bucket);
        find("#test-connection").click();
        waiting(30).until(d -> d.findElements(By.cssSelector("#test-result")).size() == 1);
        assertTrue(find("#test-result").getText().contains("Connected: bucket '" + bucket + "' answers"), find("#test-result").getText());
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("document.getElementById('test-result').scrollIntoView({block: 'center'});");
        browser.screenshot("account");
        open("/accounts");
        browser.screenshot("accounts");

        // A partner token for one prefix of that bucket: shown once, with the command to paste.
        open("/partner-tokens");
        type("name", "acme-dailies");
        type("location", "s3://media/" + bucket + "/acme/");
        type("maxBytes", "500G");
        find("#issue").click();
        waiting(10).until(d -> d.findElements(By.cssSelector("#secret")).size() == 1);
        String secret = find("#secret").getAttribute("value");
        assertTrue(secret.startsWith("shp_"), secret);
        String command = find("#command").getAttribute("value");
        assertEquals("SKYHAUL_SERVER=" + appliance.baseUrl() + " bin/skyhaul send FILE s3://media/" + bucket + "/acme/ --token " + secret, command);
        browser.screenshot("partner-token-issued");

        // The partner sends with the CLI; the dashboard follows the transfer without reloading.
        Path file = data.resolve("reel-01.mov");
        byte[] bytes = new byte[FILE_BYTES];
        new Random(5).nextBytes(bytes);
        Files.write(file, bytes);
        open("/");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("window.skyhaulSamePage = 42;");
        ChildJvm partner = send("partner-send", file, "s3://media/" + bucket + "/acme/", secret);
        String id = waiting(60).until(d -> d.findElements(By.cssSelector("tr.transfer-row")).stream().findFirst()
                .map(r -> r.getAttribute("data-id")).orElse(null));
        List<Double> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        boolean screenshotTaken = false;
        while (System.nanoTime() < deadline && partner.process().isAlive()) {
            List<WebElement> bars = browser.driver.findElements(By.cssSelector("tr.transfer-row[data-id='" + id + "'] progress"));
            if (!bars.isEmpty()) {
                try {
                    double value = Double.parseDouble(bars.get(0).getAttribute("value"));
                    if (seen.isEmpty() || seen.get(seen.size() - 1) != value) {
                        seen.add(value);
                    }
                    if (!screenshotTaken && value >= 20 && value <= 90) {
                        browser.screenshot("dashboard");
                        screenshotTaken = true;
                    }
                } catch (org.openqa.selenium.StaleElementReferenceException e) {
                    // The live fragment was swapped in between: read it again.
                }
            }
            Thread.sleep(200);
        }
        Optional<Integer> exit = partner.waitFor(Duration.ofSeconds(90));
        assertEquals(Optional.of(0), exit, "the partner's send: " + partner.stderr());
        assertTrue(seen.stream().anyMatch(v -> v > 0 && v < 100), "the dashboard showed progress between 0 and 100 %: " + seen);
        assertTrue(seen.size() >= 2, "the progress changed on the page: " + seen);
        assertEquals(42L, ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("return window.skyhaulSamePage;"),
                "updated in place, not by reloading");
        assertTrue(screenshotTaken, "a dashboard screenshot mid-transfer: " + seen);
        assertEquals(FILE_BYTES, s3.client().headObject(b -> b.bucket(bucket).key("acme/reel-01.mov")).contentLength());

        // The transfer in the log, and its detail.
        open("/transfers");
        assertTrue(text().contains(id), text());
        browser.screenshot("transfers");
        find("a[href='/transfers/" + id + "']").click();
        waiting(10).until(d -> d.findElement(By.cssSelector("h1")).getText().contains(id));
        assertTrue(find("h1").getText().endsWith("done"), find("h1").getText());
        browser.screenshot("transfer");

        // Revoke the token; the partner is refused from then on.
        open("/partner-tokens");
        find("button[aria-label='Revoke acme-dailies']").click();
        waiting(10).until(d -> d.findElement(By.cssSelector(".flash")).getText().contains("revoked"));
        browser.screenshot("partner-tokens");
        ChildJvm refused = send("partner-refused", file, "s3://media/" + bucket + "/acme/again/", secret);
        Optional<Integer> refusedExit = refused.waitFor(Duration.ofSeconds(60));
        assertTrue(refusedExit.isPresent() && refusedExit.get() != 0, "the revoked token still worked: " + refused.stdout());
        assertTrue(refused.stderr().contains("revoked"), refused.stderr());

        open("/nodes");
        browser.screenshot("nodes");
        open("/users");
        browser.screenshot("users");
        open("/audit");
        assertTrue(text().contains("partner-token.revoke"), text());
        browser.screenshot("audit");

        // Tablet width: everything fits without sideways scrolling.
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
        open("/");
        Object overflow = ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertEquals(0L, overflow, "the dashboard scrolls sideways at tablet width");
        browser.screenshot("dashboard-tablet");

        find("#sign-out").click();
        waiting(10).until(d -> d.getCurrentUrl().endsWith("/signin"));
        open("/transfers");
        assertTrue(browser.driver.getCurrentUrl().contains("/signin"), "signed out: " + browser.driver.getCurrentUrl());
    }

    @Test
    void forgedOrMissingCsrfTokensAreRefused() {
        signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        open("/partner-tokens");
        type("name", "forged");
        type("location", "local://local/inbox/forged/");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                .executeScript("document.querySelector('#issue-form input[name=_csrf]').value = 'forged-token';");
        find("#issue").click();
        waiting(10).until(d -> d.findElement(By.cssSelector("h1")).getText().equals("Not allowed"));
        assertTrue(text().contains("CSRF check failed"), text());
        browser.screenshot("error-csrf");

        open("/partner-tokens");
        type("name", "missing");
        type("location", "local://local/inbox/missing/");
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("document.querySelector('#issue-form input[name=_csrf]').remove();");
        find("#issue").click();
        waiting(10).until(d -> d.findElement(By.cssSelector("h1")).getText().equals("Not allowed"));
        assertTrue(text().contains("CSRF check failed"), text());
        for (var t : appliance.get("partner-tokens", appliance.adminToken()).json()) {
            assertNotEquals("forged", t.path("name").asText());
            assertNotEquals("missing", t.path("name").asText());
        }
    }

    @Test
    void theDashboardSaysWhenItStopsUpdating() {
        signIn("admin", RunningAppliance.ADMIN_PASSWORD);
        open("/");
        browser.driver.manage().deleteCookieNamed("skyhaul_session");
        waiting(15).until(d -> "true".equals(d.findElement(By.id("live")).getAttribute("data-stale")));
        assertTrue(browser.driver.getCurrentUrl().endsWith("/"), "still the dashboard, not replaced by the sign-in page");
    }

    @Test
    void aReadOnlyUserCannotChangeAnything() {
        appliance.userToken("viewer", "read-only");
        signIn("viewer", "password-of-viewer");
        open("/accounts");
        assertTrue(browser.driver.findElements(By.cssSelector("#new-s3")).isEmpty(), "no new-account button");
        open("/accounts/local");
        assertTrue(browser.driver.findElements(By.cssSelector("#save, #delete-account, #test-connection")).isEmpty());
        assertFalse(browser.driver.findElement(By.name("local.path")).isEnabled(), "settings shown read-only");
        open("/partner-tokens");
        assertTrue(browser.driver.findElements(By.cssSelector("#issue-form, button.danger")).isEmpty());
        open("/nodes");
        assertTrue(browser.driver.findElements(By.cssSelector("#drain, #undrain")).isEmpty());
        assertTrue(browser.driver.findElements(By.cssSelector("a[href='/users']")).isEmpty());

        // Even a hand-made request with the page's own valid CSRF token is refused by the server.
        Object status = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const token = document.querySelector('input[name=_csrf]').value;"
                        + "fetch('/nodes/local/drain', {method: 'POST', body: new URLSearchParams({_csrf: token})}).then(r => done(r.status));");
        assertEquals(403L, status);
        assertEquals("active", appliance.get("nodes/local", appliance.adminToken()).json().path("state").asText());
    }
}
