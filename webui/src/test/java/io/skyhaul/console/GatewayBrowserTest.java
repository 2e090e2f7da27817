package io.skyhaul.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.skyhaul.testing.LogCapture;
import io.skyhaul.testing.RunningAppliance;
import io.skyhaul.testing.RunningGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The gateway pages in a real headless Chromium against a whole appliance and a real gateway on
 * loopback: an admin enters the code the gateway shows, sees it online, pauses it, and watches a
 * file its hot folder refused appear on its page without a reload. Screenshots {@code gateways}
 * and {@code gateway} go to target/screenshots (docs/console.md uses them).
 */
@Timeout(240)
class GatewayBrowserTest {
    @TempDir
    static Path data;
    static LogCapture errors;
    static RunningAppliance appliance;
    HeadlessChromium browser;

    @BeforeAll
    static void start() throws Exception {
        errors = new LogCapture(ch.qos.logback.classic.Level.ERROR);
        appliance = RunningAppliance.start(data.resolve("appliance"));
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
        try (LogCapture captured = errors) {
            assertEquals(List.of(), captured.lines(e -> true), "not one ERROR in the log");
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = new HeadlessChromium(1280, 860);
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    void open(String path) {
        browser.driver.get(appliance.baseUrl() + path);
    }

    Object script(String js) {
        return ((JavascriptExecutor) browser.driver).executeScript(js);
    }

    @Test
    void anAdminActivatesAGatewayPausesItAndSeesARefusalArriveLive() throws Exception {
        Path dir = data.resolve("studio");
        try (RunningGateway gateway = TestGateways.start(dir, appliance)) {
            String code = gateway.awaitCode(TestGateways.WAIT);
            String fingerprint = gateway.status().fingerprint();
            browser.signIn(appliance.baseUrl(), "admin", RunningAppliance.ADMIN_PASSWORD);

            // The code the gateway shows, typed as a person might (lower case, no dash); then the gateway's own page.
            open("/gateways");
            assertTrue(browser.text().contains("No gateways yet"), browser.text());
            browser.type("code", code.toLowerCase().replace("-", ""));
            browser.type("name", "studio");
            browser.find("#activate").click();
            browser.waiting(10).until(d -> d.findElement(By.cssSelector("h1")).getText().startsWith("Gateway studio"));
            assertTrue(browser.find(".flash").getText().contains("Gateway 'studio' activated"), browser.find(".flash").getText());
            assertEquals(fingerprint, browser.find("#fingerprint").getText(), "the fingerprint the gateway showed beside its code");
            browser.waiting(60).until(d -> d.findElement(By.id("gateway-state")).getText().equals("online"));

            open("/gateways");
            browser.waiting(10).until(d -> d.findElements(By.cssSelector("tr[data-name='studio']")).size() == 1);
            assertEquals("online", browser.find("tr[data-name='studio'] .state").getText());

            browser.find("a[href='/gateways/studio']").click();
            browser.waiting(10).until(d -> d.findElements(By.id("pause")).size() == 1);
            browser.find("#pause").click();
            browser.waiting(10).until(d -> d.findElements(By.cssSelector(".flash")).stream().anyMatch(f -> f.getText().contains("Pause sent")));
            browser.waiting(30).until(d -> d.findElements(By.id("paused")).stream().anyMatch(p -> p.getText().equals("paused")));

            // A file the hot folder's rule refuses: it appears on the page by the live refresh, not by a reload.
            script("window.skyhaulSamePage = 42;");
            Files.writeString(TestGateways.hotFolder(dir).resolve("notes.txt"), "minutes of the meeting, not a film");
            String reason = browser.waiting(30).until(d -> d.findElements(By.cssSelector("#refusals tbody tr")).stream()
                    .filter(r -> r.getText().contains("notes.txt")).map(r -> r.getText()).findFirst().orElse(null));
            assertTrue(reason.contains("the extension '.txt' is not allowed (allowed: .mov)"), reason);
            assertEquals(42L, script("return window.skyhaulSamePage;"), "updated in place, not by reloading");
            // Tall enough for the whole page: the status, hot folder, spool, the refusal and the commands.
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1500));
            browser.screenshot("gateway");
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 860));

            open("/gateways");
            browser.waiting(10).until(d -> d.findElements(By.cssSelector("tr[data-name='studio'] .state.paused")).size() == 1);
            browser.screenshot("gateways");
        }
    }
}
