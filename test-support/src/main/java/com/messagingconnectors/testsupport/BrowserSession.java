package com.messagingconnectors.testsupport;

import com.messagingconnectors.schemas.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One person in front of the console: Debian's headless Chromium driven through chromedriver (nothing is downloaded),
 * with a fresh profile, so two sessions are two different browsers. A test class can keep one browser for all its
 * tests and {@link #startOver} before each: starting Chromium costs seconds a test. Besides clicking, it checks what
 * every page owes its users: no axe-core violations of WCAG 2.1 A/AA (axe runs inside the page, from test-support's
 * own classpath), no sideways scrolling at 1280 px and at a phone's 390 px, and controls reachable with the keyboard.
 * Screenshots go to {@code <screenshots>/<name>-NN-<what>.png}.
 */
public final class BrowserSession implements AutoCloseable {
    public static final String BROWSER = "/usr/bin/chromium";
    public static final String DRIVER = "/usr/bin/chromedriver";
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String AXE = readAxe();
    /** How often a wait looks again: Selenium's default of 500 ms adds up to seconds a test in idle waiting. */
    private static final Duration POLL = Duration.ofMillis(50);

    private final String base;
    private final Path screenshots;
    private ChromeDriver driver;
    private Path profile;
    private WebDriverWait wait;
    private String name;
    private int shot;

    private BrowserSession(String base, Path screenshots, String name) throws IOException {
        this.base = base;
        this.screenshots = screenshots;
        this.name = name;
        launch();
    }

    /** A new browser for the site at {@code base} (e.g. http://127.0.0.1:8085); screenshots named after {@code name}. */
    public static BrowserSession start(String base, Path screenshots, String name) throws IOException {
        if (!new File(BROWSER).canExecute() || !new File(DRIVER).canExecute()) {
            throw new IllegalStateException("the browser tests need Debian's chromium and chromium-driver: "
                    + "apt-get install -y chromium chromium-driver (the build does when it runs as root: "
                    + "scripts/ensure-system-packages.sh)");
        }
        return new BrowserSession(base, screenshots, name);
    }

    private void launch() throws IOException {
        profile = Files.createTempDirectory("console-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=" + DESKTOP.width + "," + DESKTOP.height, "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20), POLL);
        // htmx swaps parts of the page while a condition looks at them
        wait.ignoring(StaleElementReferenceException.class);
    }

    /**
     * Makes this browser what a new one would be, for the next test (screenshots then named after {@code name}): one
     * blank tab at desktop width (no history, no page state, no session storage), no cookies of any site, no storage
     * of the site, an empty HTTP cache. Checks that no cookie and no other tab is left; a browser that cannot be
     * brought back (a dialog left open, a crash) is replaced by a new one.
     */
    public void startOver(String name) throws IOException {
        this.name = name;
        this.shot = 0;
        try {
            clearState();
        } catch (WebDriverException e) {
            quit();
            launch();
            clearState();
        }
    }

    private void clearState() {
        String fresh = driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
        for (String tab : driver.getWindowHandles()) {
            if (!tab.equals(fresh)) {
                driver.switchTo().window(tab).close();
            }
        }
        driver.switchTo().window(fresh);
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
        driver.executeCdpCommand("Storage.clearDataForOrigin", Map.of("origin", base, "storageTypes", "all"));
        driver.manage().window().setSize(DESKTOP);
        if (!cookies().isEmpty() || driver.getWindowHandles().size() != 1
                || !"about:blank".equals(driver.getCurrentUrl())) {
            throw new IllegalStateException("the browser kept state of the last test: cookies " + cookies() + ", tabs "
                    + driver.getWindowHandles() + ", at " + driver.getCurrentUrl());
        }
    }

    /** The browser's cookies of every site (WebDriver's own cookie calls see the current page's site only). */
    public List<?> cookies() {
        return (List<?>) driver.executeCdpCommand("Network.getAllCookies", Map.of()).get("cookies");
    }

    public WebDriver driver() {
        return driver;
    }

    public WebDriverWait await() {
        return wait;
    }

    public String base() {
        return base;
    }

    /** Opens {@code path} of the site. */
    public void open(String path) {
        driver.get(base + path);
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> findAll(By by) {
        return driver.findElements(by);
    }

    public String text(By by) {
        return driver.findElement(by).getText();
    }

    public void fill(String id, String value) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }

    public void click(By by) {
        driver.findElement(by).click();
    }

    /**
     * Clicks a link or a form's button that loads another page and waits until that page has replaced the one being
     * left: a look-up straight after a plain click can still find (or miss) elements of the old page.
     */
    public void clickAndAwaitPage(By control) {
        clickAndAwaitPage(driver.findElement(control));
    }

    /** As {@link #clickAndAwaitPage(By)}, for a control already found. */
    public void clickAndAwaitPage(WebElement control) {
        WebElement leaving = driver.findElement(By.tagName("html"));
        control.click();
        try {
            wait.until(d -> isGone(leaving));
            wait.until(d -> "complete".equals(script("return document.readyState")));
        } catch (TimeoutException e) {
            throw new AssertionError("the click loaded no new page; the page shows: "
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /**
     * Whether the page {@code element} belonged to has been left. Chromedriver sometimes reports an element of the old
     * document as "does not belong to the document" (an inspector error) instead of as stale: both mean gone.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException gone) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    public Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits until an element matching {@code by} shows {@code text}; on timeout says what the page showed instead. */
    public WebElement awaitText(By by, String text) {
        try {
            wait.until(d -> d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)));
        } catch (TimeoutException e) {
            throw new AssertionError("no " + by + " showing \"" + text + "\"; the page shows: "
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
        return driver.findElements(by).stream().filter(e -> e.getText().contains(text)).findFirst().orElseThrow();
    }

    // ---- the console's sign-in, as a person does it ----

    /** Signs in on the console's login form with {@code apiKey}; answers who the header says is signed in. */
    public String signInToConsole(String apiKey) {
        open("/console/login");
        fill("apiKey", apiKey);
        clickAndAwaitPage(By.cssSelector("form[action='/console/login'] button[type=submit]"));
        try {
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".who")));
        } catch (TimeoutException e) {
            throw new AssertionError("not signed in; the page says: " + driver.findElement(By.tagName("body")).getText(), e);
        }
        return text(By.cssSelector(".who"));
    }

    // ---- what every page owes its users ----

    /**
     * Checks the page as shown now at desktop width and at phone width: axe-core finds no WCAG 2.1 A/AA violation
     * (labels, contrast, landmarks, names of controls …) and the page never needs sideways scrolling. Takes a
     * screenshot at each width. Leaves the window at desktop width.
     */
    public void assertUsable(String what) throws IOException {
        try {
            for (Dimension size : List.of(DESKTOP, PHONE)) {
                driver.manage().window().setSize(size);
                List<String> violations = accessibilityViolations();
                if (!violations.isEmpty()) {
                    throw new AssertionError("axe-core finds accessibility violations on " + what + " at "
                            + size.width + " px:\n" + String.join("\n", violations));
                }
                long overflow = ((Number) script("return document.documentElement.scrollWidth"
                        + " - document.documentElement.clientWidth")).longValue();
                if (overflow > 0) {
                    throw new AssertionError(what + " scrolls sideways by " + overflow + " px at " + size.width
                            + " px wide: " + widest());
                }
                screenshot(what + (size.equals(PHONE) ? "-phone" : ""));
            }
        } finally {
            driver.manage().window().setSize(DESKTOP);
        }
    }

    /** Each violation of WCAG 2.1 A/AA rules that axe-core finds in the page: rule, impact and the offending nodes. */
    public List<String> accessibilityViolations() throws IOException {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(AXE);
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        String result = (String) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                   .then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify([{id: 'axe-error',
                         impact: 'error', help: String(e), nodes: []}])));""");
        List<String> out = new ArrayList<>();
        for (JsonNode v : JSON.readTree(result)) {
            StringBuilder line = new StringBuilder(v.path("id").asString("")).append(" (")
                    .append(v.path("impact").asString("")).append("): ").append(v.path("help").asString(""));
            for (JsonNode node : v.path("nodes")) {
                line.append("\n    ").append(node.path("target").toString()).append(' ')
                        .append(node.path("failureSummary").asString("").replace('\n', ' '));
            }
            out.add(line.toString());
        }
        return out;
    }

    /**
     * Presses Tab from the top of the page until {@code target} has the focus; fails when it is not reached within
     * {@code maxTabs} presses or when the focused control shows no focus indicator (outline or box shadow).
     */
    public void tabTo(By target, int maxTabs) {
        WebElement wanted = driver.findElement(target);
        // focusing the body makes it the starting point of sequential focus navigation: the next Tab goes to the
        // page's first focusable element
        script("document.body.setAttribute('tabindex', '-1'); document.body.focus();"
                + " document.body.removeAttribute('tabindex'); window.scrollTo(0, 0);");
        for (int i = 0; i < maxTabs; i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            WebElement focused = driver.switchTo().activeElement();
            if (focused.equals(wanted)) {
                String indicator = (String) script("const s = getComputedStyle(arguments[0]);"
                        + " return s.outlineStyle + ' ' + s.outlineWidth + ' | ' + s.boxShadow;", focused);
                if (indicator.startsWith("none") && indicator.endsWith("| none")) {
                    throw new AssertionError(target + " has the focus but shows no focus indicator: " + indicator);
                }
                return;
            }
        }
        throw new AssertionError(target + " is not reached with " + maxTabs + " presses of Tab");
    }

    /** Presses a key on the focused element. */
    public void press(CharSequence key) {
        new Actions(driver).sendKeys(key).perform();
    }

    private String widest() {
        return String.valueOf(script("""
                let worst = null;
                for (const e of document.querySelectorAll('body *')) {
                  const r = e.getBoundingClientRect();
                  if (r.right > document.documentElement.clientWidth && (!worst || r.right > worst.r))
                    worst = {r: r.right, d: e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className};
                }
                return worst ? worst.d + ' ends at ' + worst.r : 'no element';"""));
    }

    public void screenshot(String what) throws IOException {
        Files.createDirectories(screenshots);
        File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), screenshots.resolve(String.format("%s-%02d-%s.png", name, ++shot, what)),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        quit();
    }

    /** Ends the browser and removes its profile from the temp directory (one was left behind by every test). */
    private void quit() {
        try {
            driver.quit();
        } catch (WebDriverException e) {
            // already gone (crashed): what is left to do is removing its profile
        }
        Directories.deleteQuietly(profile); // a profile left in the temp directory is untidy, not wrong
    }

    private static String readAxe() {
        try (InputStream in = BrowserSession.class.getResourceAsStream("/browser/axe.min.js")) {
            return new String(Objects.requireNonNull(in, "browser/axe.min.js is not on the classpath: test-support's"
                    + " build installs it with npm ci").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
