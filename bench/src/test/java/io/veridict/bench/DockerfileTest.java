package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.veridict.contracts.DevNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be checked about the image without a Docker engine: the Dockerfile's pins, user,
 * entrypoint and health check, and the health probe class itself (compiled here from {@code
 * docker/HealthCheck.java} exactly as the build stage does, then run against a local HTTP server).
 */
class DockerfileTest {
  static final Path ROOT = repoRoot();

  static Path repoRoot() {
    // surefire/failsafe run in the module directory (bench/); the repository is its parent.
    Path p = Path.of("").toAbsolutePath().getParent();
    if (!Files.exists(p.resolve("Dockerfile"))) {
      throw new IllegalStateException("no Dockerfile in " + p + " (tests must run from bench/)");
    }
    return p;
  }

  static List<String> instructions() throws IOException {
    // Joins continuation lines, drops comments: one entry per Dockerfile instruction.
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : Files.readAllLines(ROOT.resolve("Dockerfile"))) {
      String t = line.strip();
      if (cur.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.endsWith("\\")) {
        cur.append(t, 0, t.length() - 1).append(' ');
      } else {
        cur.append(t);
        out.add(cur.toString());
        cur.setLength(0);
      }
    }
    return out;
  }

  @Test
  void everyBaseImageIsPinnedToAnExactVersionAndDigest() throws IOException {
    Pattern from = Pattern.compile("FROM (\\S+?):(\\S+?)@sha256:([0-9a-f]{64})(?: AS (\\S+))?");
    List<String> froms = instructions().stream().filter(i -> i.startsWith("FROM ")).toList();
    assertEquals(3, froms.size(), froms.toString()); // node (for solc), build, runtime
    for (String f : froms) {
      Matcher m = from.matcher(f);
      assertTrue(m.matches(), "not pinned by tag and digest: " + f);
      String tag = m.group(2);
      assertTrue(tag.matches("v?\\d+\\.\\d+\\.\\d+.*"), "tag is not an exact version: " + f);
      assertFalse(tag.contains("latest"), f);
    }
    assertTrue(froms.get(1).startsWith("FROM maven:3.9.") && froms.get(1).contains("-eclipse-temurin-21@"), froms.get(1));
    assertTrue(froms.get(2).startsWith("FROM eclipse-temurin:21.") && froms.get(2).contains("-jre"), froms.get(2));
  }

  @Test
  void theRuntimeStageRunsTheJarAsANonRootUserWithAHealthCheck() throws IOException {
    List<String> all = instructions();
    int runtime = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startsWith("FROM ")) {
        runtime = i;
      }
    }
    List<String> stage = all.subList(runtime, all.size());
    List<String> users = stage.stream().filter(i -> i.startsWith("USER ")).toList();
    assertEquals(1, users.size(), stage.toString());
    String user = users.get(0).substring(5).strip();
    assertFalse(user.equals("root") || user.equals("0") || user.startsWith("0:") || user.startsWith("root:"), user);
    assertTrue(stage.stream().anyMatch(i -> i.startsWith("RUN ") && i.contains("useradd") && i.contains("10001")),
        "the user is created in the runtime stage");
    assertTrue(stage.contains("ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/veridict.jar\"]"),
        stage.toString());
    String health = stage.stream().filter(i -> i.startsWith("HEALTHCHECK ")).findFirst().orElseThrow();
    assertTrue(health.contains("HealthCheck") && health.contains("CMD [\"java\""), health);
    assertTrue(stage.stream().anyMatch(i -> i.startsWith("ENV VERIDICT_HEALTH_URL=") && i.endsWith("/health")));
    assertTrue(stage.stream().anyMatch(i -> i.startsWith("COPY --from=build /out/veridict.jar")), stage.toString());
    // the build stage produces what the runtime stage copies
    assertTrue(all.stream().anyMatch(i -> i.contains("cp bench/target/veridict-bench.jar /out/veridict.jar")));
    assertTrue(all.stream().anyMatch(i -> i.contains("javac --release 21 -d /out/healthcheck docker/HealthCheck.java")));
  }

  @Test
  void theDockerIgnoreKeepsBuildOutputAndKeysOutOfTheContext() throws IOException {
    List<String> ignore = Files.readAllLines(ROOT.resolve(".dockerignore"));
    for (String p : List.of(".git", "**/target", "**/node_modules", ".veridict", "dist", "**/*.key")) {
      assertTrue(ignore.contains(p), p + " missing from .dockerignore");
    }
  }

  @Test
  void theHealthProbeExitsZeroOnlyOnA2xx(@TempDir Path tmp) throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "--release", "21", "-d", tmp.toString(),
        ROOT.resolve("docker").resolve("HealthCheck.java").toString()));
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/health", ex -> respond(ex, 200));
    server.createContext("/ready", ex -> respond(ex, 503));
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      assertEquals(0, probe(tmp, base + "/health"));
      assertEquals(1, probe(tmp, base + "/ready"));
      assertEquals(1, probe(tmp, base + "/nowhere")); // 404
      assertEquals(1, probe(tmp, "http://127.0.0.1:" + DevNode.freePort() + "/health")); // refused
    } finally {
      server.stop(0);
    }
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, int status) throws IOException {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private static int probe(Path classes, String url) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", classes.toString(), "HealthCheck", url)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the probe hung on " + url);
    return p.exitValue();
  }
}
