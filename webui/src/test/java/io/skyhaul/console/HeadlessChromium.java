package io.skyhaul.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (Selenium is never allowed
 * to download a browser or a driver). {@code --no-sandbox} because tests may run as root.
 */
final class HeadlessChromium implements AutoCloseable {
    static final String BROWSER = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final ChromeDriverService service;

    HeadlessChromium(int width, int height) {
        if (!Files.isExecutable(Path.of(BROWSER)) || !Files.isExecutable(Path.of(DRIVER))) {
            throw new AssertionError("the browser tests need Debian's chromium and chromium-driver: run scripts/install-prerequisites.sh");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--lang=en-US", "--hide-scrollbars");
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(15));
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /**
     * Waits for a condition; an element of the page being replaced (a navigation, the live
     * refresh) is read again. A click that submits a form returns before the next page is
     * there: wait for something of that page, never read it at once.
     */
    WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    void type(String name, String text) {
        WebElement e = driver.findElement(By.name(name));
        e.clear();
        e.sendKeys(text);
    }

    String text() {
        return find("body").getText();
    }

    /** Signs in through the form of the console at {@code base}, and waits for the signed-in page. */
    void signIn(String base, String user, String password) {
        driver.get(base + "/");
        waiting(10).until(d -> d.getCurrentUrl().contains("/signin"));
        type("username", user);
        type("password", password);
        find("#sign-in").click();
        waiting(10).until(d -> d.findElements(By.cssSelector("#sign-out")).size() == 1);
    }

    /** Saves what the browser shows to target/screenshots/{name}.png. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path out = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
