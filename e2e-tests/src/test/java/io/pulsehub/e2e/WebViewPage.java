package io.pulsehub.e2e;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The live view as a user sees it: what they type and click, and what the page shows. */
final class WebViewPage {

    private final WebDriver driver;

    WebViewPage(final WebDriver driver) {
        this.driver = driver;
    }

    /** Opens the page as on a first visit: nothing remembered from earlier tests (broker URL, device ids). */
    WebViewPage openFresh(final URI page) {
        driver.get(page.toString());
        ((JavascriptExecutor) driver).executeScript("localStorage.clear()");
        driver.navigate().refresh();
        return this;
    }

    void signIn(final String brokerUrl, final String jwt) {
        replaceText(By.id("broker-url"), brokerUrl);
        replaceText(By.id("token"), jwt);
        driver.findElement(By.id("connect")).click();
    }

    String brokerUrlField() {
        return driver.findElement(By.id("broker-url")).getDomProperty("value");
    }

    void disconnect() {
        driver.findElement(By.id("disconnect")).click();
    }

    /** The ids of the device cards shown, in order */
    List<String> devices() {
        return driver.findElements(By.cssSelector("article.device")).stream()
                .map(card -> card.getDomAttribute("data-device")).toList();
    }

    /** disconnected, connecting or connected */
    String connectionState() {
        return driver.findElement(By.id("connection")).getDomAttribute("data-state");
    }

    /** What the sign-in panel says while signed in; empty otherwise */
    String session() {
        final WebElement session = driver.findElement(By.id("session"));
        return session.isDisplayed() ? session.getText() : "";
    }

    boolean tokenFieldShown() {
        return driver.findElement(By.id("token")).isDisplayed();
    }

    String signInError() {
        final WebElement error = driver.findElement(By.id("sign-in-error"));
        return error.isDisplayed() ? error.getText() : "";
    }

    void addDevice(final String deviceId) {
        replaceText(By.id("device-id"), deviceId);
        driver.findElement(By.id("add")).click();
    }

    /** pending, subscribed or refused; empty while the device has no card */
    String subscription(final String deviceId) {
        return card(deviceId).map(card -> card.findElement(By.cssSelector(".subscription"))
                .getDomAttribute("data-subscription")).orElse("");
    }

    String presence(final String deviceId) {
        return card(deviceId).map(card -> card.findElement(By.cssSelector(".presence"))
                .getDomAttribute("data-presence")).orElse("");
    }

    /** The value shown for a metric of the latest reading; empty while there is none */
    String metric(final String deviceId, final String metric) {
        return card(deviceId).flatMap(card -> first(card.findElements(
                By.cssSelector(".reading dd[data-metric='" + metric + "']")))).map(WebElement::getText).orElse("");
    }

    /** The cells of the aggregate row of a window and metric (window, metric, count, mean, min, max, last, span) */
    List<String> aggregateRow(final String deviceId, final String window, final String metric) {
        return card(deviceId).flatMap(card -> first(card.findElements(
                        By.cssSelector(".aggregates tr[data-key='" + window + "/" + metric + "']"))))
                .map(row -> row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                .orElse(List.of());
    }

    void sendCommand(final String deviceId, final String name, final String jsonBody) {
        final WebElement card = card(deviceId).orElseThrow(() -> new NoSuchElementException("no card " + deviceId));
        replaceText(card.findElement(By.cssSelector(".command-name")), name);
        replaceText(card.findElement(By.cssSelector(".command-body")), jsonBody);
        card.findElement(By.cssSelector(".command button[type='submit']")).click();
    }

    String commandResult(final String deviceId) {
        return card(deviceId).map(card -> card.findElement(By.cssSelector(".command-result")).getText()).orElse("");
    }

    private Optional<WebElement> card(final String deviceId) {
        return first(driver.findElements(By.cssSelector("article.device[data-device='" + deviceId + "']")));
    }

    private static Optional<WebElement> first(final List<WebElement> elements) {
        return elements.stream().findFirst();
    }

    private void replaceText(final By field, final String text) {
        replaceText(driver.findElement(field), text);
    }

    private static void replaceText(final WebElement field, final String text) {
        field.clear();
        field.sendKeys(text);
    }
}
