package io.pulsehub.e2e;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver. Both paths are given explicitly so Selenium
 * Manager never looks for (or downloads) a browser or driver of its own.
 */
final class WebViewBrowser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String INSTALL = "sudo apt-get update && sudo apt-get install -y chromium chromium-driver";

    final ChromeDriver driver;
    private final Path profile;

    private WebViewBrowser(final ChromeDriver driver, final Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** @throws IllegalStateException with the install command when Chromium or its driver is missing */
    static WebViewBrowser start() throws IOException {
        for (final Path binary : new Path[]{CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing; the web view is tested in a real browser. "
                        + "Install it with: " + INSTALL);
            }
        }
        final Path profile = Files.createTempDirectory("pulsehub-chromium-");
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,1000");
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        final ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().window().setSize(new Dimension(1280, 1000));
        return new WebViewBrowser(driver, profile);
    }

    void screenshot(final Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(final Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (final IOException | UncheckedIOException e) {
            // A temporary profile left behind costs disk space, not correctness.
        }
    }
}
