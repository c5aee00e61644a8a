import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container's health probe: GET a URL, exit 0 on a 2xx answer, 1 otherwise (refused, timeout,
 * any other status). The runtime image is a JRE without curl or wget, and a JRE cannot run a
 * {@code .java} source file (no compiler), so the Dockerfile compiles this class in the build stage
 * and copies the {@code .class} file into the runtime image.
 *
 * <p>The URL is the first argument, else {@code $VERIDICT_HEALTH_URL}, else {@code
 * http://127.0.0.1:8080/health}. The timeout is 5 s (below the HEALTHCHECK's own).
 */
public final class HealthCheck {
  private HealthCheck() {}

  public static void main(String[] args) {
    String env = System.getenv("VERIDICT_HEALTH_URL");
    String url = args.length > 0 ? args[0] : env != null && !env.isBlank() ? env : "http://127.0.0.1:8080/health";
    System.exit(probe(url, Duration.ofSeconds(5)));
  }

  static int probe(String url, Duration timeout) {
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
      HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 == 2) {
        return 0;
      }
      System.err.println("health check: " + url + " answered " + r.statusCode());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("health check: interrupted");
      return 1;
    } catch (Exception e) {
      System.err.println("health check: " + url + " unreachable: " + e);
      return 1;
    }
  }
}
