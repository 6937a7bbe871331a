package io.huitong.hub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The hall pages in headless Chromium (Debian's chromium and chromedriver, driven by Selenium) against a real hub:
 * its queue service, device registry and in-process kiosk bridge. A window terminal page calls the next ticket and
 * the hall screen page shows it; a window terminal page opened or reloaded while its window serves shows that ticket
 * and finishes it; a hall screen opened while a window serves shows that ticket at the window, and the window idle
 * once the ticket is finished; a hall screen that is offline during 20 calls shows all 20, in order, once back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KioskPagesIT {
  private static final Duration START_LIMIT = Duration.ofMinutes(3);
  private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
  private static final String HALL = QueueSetup.HALL;

  private HubProcess hub;
  private int bridgePort;
  private final List<WebDriver> browsers = new ArrayList<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    hub = HubProcess.embedded(dir.resolve("hub"), "kiosk-pages");
    bridgePort = hub.bridgePort();
    hub.start().awaitReady(START_LIMIT);
    QueueSetup.hall(hub, 1);
    for (int i = 0; i < 30; i++) {
      HttpResponse<String> taken = QueueSetup.take(hub, String.format("139%08d", i));
      assertEquals(2, taken.statusCode() / 100, taken.body());
    }
  }

  @AfterAll
  void stop() throws Exception {
    browsers.forEach(WebDriver::quit);
    if (hub != null) {
      hub.close();
    }
  }

  /** Registers a device and opens its page in a browser of its own, logged in with the device's token. */
  private WebDriver open(String page, JsonObject device) throws Exception {
    String token = hub.adminJson("POST", "/devices", device).getString("token");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
    WebDriver browser = new ChromeDriver(service, options);
    browsers.add(browser);
    browser.get("http://127.0.0.1:" + bridgePort + "/kiosk/" + page + "?device=" + device.getString("id")
        + "&token=" + token);
    until(browser, "the page is online", b -> "online".equals(b.findElement(By.id("status")).getText()));
    return browser;
  }

  private static void until(WebDriver browser, String what, java.util.function.Function<WebDriver, Boolean> condition) {
    new WebDriverWait(browser, PAGE_WAIT, Duration.ofMillis(20)).withMessage(what).until(condition::apply);
  }

  private static List<WebElement> calls(WebDriver screen) {
    return screen.findElements(By.cssSelector("#calls li"));
  }

  private static Object script(WebDriver browser, String js) {
    return ((JavascriptExecutor) browser).executeScript(js);
  }

  @Test
  void aWindowCallsTheNextTicketAndTheHallScreenShowsItWithinOneSecond() throws Exception {
    WebDriver screen = open("hall-screen.html", new JsonObject().put("id", "screen-a").put("kind", "hall-screen")
        .put("hall", HALL));
    WebDriver terminal = open("window-terminal.html", new JsonObject().put("id", "terminal-1")
        .put("kind", "window-terminal").put("hall", HALL).put("window", QueueSetup.window(1)));
    terminal.findElement(By.id("idle")).click();
    until(terminal, "the window is open", b -> b.findElement(By.id("result")).getText().contains("window-state"));

    for (int round = 0; round < 3; round++) {
      int before = calls(screen).size();
      terminal.findElement(By.id("call-next")).click();
      until(terminal, "the terminal shows the ticket it called", b -> !"—".equals(b.findElement(By.id("current")).getText()));
      String number = terminal.findElement(By.id("current")).getText();
      until(screen, "the hall screen shows " + number, b -> calls(b).size() > before);
      WebElement shown = calls(screen).get(0);
      assertEquals(number, shown.getAttribute("data-number"));
      long clickedAt = ((Number) script(terminal, "return window.lastActionAt;")).longValue();
      long shownAt = Long.parseLong(shown.getAttribute("data-shown-at"));
      // The first round warms the JVM's paths; the figure that counts is every round after it.
      if (round > 0) {
        assertTrue(shownAt - clickedAt <= 1000, "the screen showed " + number + " " + (shownAt - clickedAt)
            + " ms after the click");
      }
      terminal.findElement(By.id("finish")).click();
      until(terminal, "the ticket is finished", b -> "—".equals(b.findElement(By.id("current")).getText()));
    }
  }

  /** Adds window {@code number} to the hall, opens it and calls the next ticket to it; returns that ticket. */
  private JsonObject windowServing(int number) throws Exception {
    String window = QueueSetup.window(number);
    hub.adminJson("POST", "/queue/halls/" + HALL + "/windows", new JsonObject().put("id", window).put("number", number)
        .put("name", "Window " + number).put("queues", new JsonArray().add(QueueSetup.QUEUE)));
    QueueSetup.post(hub, "/windows/" + window + "/state", new JsonObject().put("state", "idle"), true);
    HttpResponse<String> call = QueueSetup.callNext(hub, number);
    assertEquals(200, call.statusCode(), call.body());
    return new JsonObject(call.body());
  }

  @Test
  void aWindowTerminalOpenedOrReloadedWhileItsWindowServesShowsTheTicketAndFinishesIt() throws Exception {
    String number = windowServing(2).getString("number");
    WebDriver terminal = open("window-terminal.html", new JsonObject().put("id", "terminal-2")
        .put("kind", "window-terminal").put("hall", HALL).put("window", "w2"));
    until(terminal, "the terminal shows " + number + " from its snapshot", b -> number.equals(current(b)));
    // Reloaded, the page resumes from its saved seq: the bridge sends no snapshot, the page asks for one.
    terminal.navigate().refresh();
    until(terminal, "the reloaded terminal shows " + number, b -> number.equals(current(b)));
    terminal.findElement(By.id("finish")).click();
    until(terminal, "the ticket is finished", b -> b.findElement(By.id("result")).getText().equals("finish ✓")
        && "—".equals(current(b)));
  }

  @Test
  void aHallScreenOpenedWhileAWindowServesShowsItsTicketThenTheWindowIdleOnceFinished() throws Exception {
    JsonObject ticket = windowServing(3);
    String number = ticket.getString("number");
    WebDriver screen = open("hall-screen.html", new JsonObject().put("id", "screen-c").put("kind", "hall-screen")
        .put("hall", HALL));
    until(screen, "window 3 shows " + number + " from the snapshot",
        b -> ("3|serving|" + number).equals(windowRow(b, "w3")));
    HttpResponse<String> finish = QueueSetup.finish(hub, ticket.getString("id"));
    assertEquals(200, finish.statusCode(), finish.body());
    until(screen, "window 3 shows idle and serves nothing", b -> "3|idle|—".equals(windowRow(b, "w3")));
    // Paused, window 3 has no precedence over window 1 in the calls of the other tests.
    QueueSetup.post(hub, "/windows/w3/state", new JsonObject().put("state", "paused"), true);
  }

  /** The cells of a window's row on the hall screen joined by |, read at once: the page rewrites a row on each change. */
  private static String windowRow(WebDriver screen, String window) {
    return (String) script(screen, "return Array.from(document.querySelectorAll('#windows-" + window
        + " td')).map(function (td) { return td.textContent; }).join('|');");
  }

  private static String current(WebDriver terminal) {
    return terminal.findElement(By.id("current")).getText();
  }

  @Test
  void aHallScreenOfflineDuring20CallsShowsAll20InOrderWhenItReconnects() throws Exception {
    WebDriver screen = open("hall-screen.html", new JsonObject().put("id", "screen-b").put("kind", "hall-screen")
        .put("hall", HALL));
    QueueSetup.post(hub, "/windows/" + QueueSetup.window(1) + "/state", new JsonObject().put("state", "idle"), true);
    script(screen, "window.hallScreen.goOffline();");
    until(screen, "the screen is offline", b -> "offline".equals(b.findElement(By.id("status")).getText()));

    List<String> called = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> call = QueueSetup.callNext(hub, 1);
      assertEquals(200, call.statusCode(), call.body());
      JsonObject ticket = new JsonObject(call.body());
      called.add(ticket.getString("number"));
      HttpResponse<String> finish = QueueSetup.finish(hub, ticket.getString("id"));
      assertEquals(200, finish.statusCode(), finish.body());
    }

    script(screen, "window.hallScreen.goOnline();");
    until(screen, "the screen shows the 20 calls", b -> calls(b).stream()
        .map(li -> li.getAttribute("data-number")).filter(called::contains).count() >= 20);
    List<String> shown = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    for (WebElement li : calls(screen)) {
      if (called.contains(li.getAttribute("data-number")) && !li.getAttribute("data-seq").isEmpty()) {
        shown.add(0, li.getAttribute("data-number"));
        seqs.add(0, Long.parseLong(li.getAttribute("data-seq")));
      }
    }
    assertEquals(called, shown, "the calls in the order the window made them, each once");
    for (int i = 1; i < seqs.size(); i++) {
      assertTrue(seqs.get(i) > seqs.get(i - 1), "seqs increase: " + seqs);
    }
  }
}
