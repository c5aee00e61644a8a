package io.veridict.bench;

import static io.veridict.bench.ModelCommandsTest.run;
import static io.veridict.bench.ModelCommandsTest.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.veridict.bench.ModelCommandsTest.Run;
import io.veridict.contracts.DevNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The whole docker-compose stack where a Docker engine (with the {@code docker compose} v2 plugin)
 * exists: builds the image from the Dockerfile, starts anvil, runs the one-shot {@code ledger
 * deploy} job, starts {@code veridict serve} on the deployed contracts, waits for {@code /ready},
 * then verifies a decision bundle (proved here, in-process) through {@code POST /v1/verify} and
 * runs the lender flow over HTTP against the stack (import and register a model, prove, anchor on
 * the compose anvil, grant, check eligibility, audit) — the same {@link ServeIT#flow} that {@code
 * ServeIT} runs here against a real anvil and the packaged jar, without Docker.
 * Skipped without Docker ({@code disabledWithoutDocker}); the first run builds the image (minutes).
 *
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {
  static final String API_KEY = HttpApiTest.KEY;
  static final String POLICY = "credit-policy-v1";

  @TempDir static Path dir;
  static ComposeContainer stack;
  static Path bundle;

  @BeforeAll
  static void upAndProve() throws Exception {
    // A decision bundle to verify (the in-process CLI, as the other command tests do).
    Path card = dir.resolve("card.json");
    Path csv = dir.resolve("data.csv");
    Files.writeString(card, ModelCommandsTest.SCORECARD);
    Files.writeString(csv, ModelCommandsTest.CSV);
    Path model = dir.resolve("model");
    Run imp = run("model", "import", s(card), "--out", s(model), "--dataset", s(csv), "--label", "label",
        "--positive", "1");
    assertEquals(0, imp.exit(), imp.toString());
    Path features = dir.resolve("alice.json");
    Files.writeString(features, "{\"a\": 3, \"b\": 0.9}");
    bundle = dir.resolve("alice.bundle.json");
    Run p = run("prove", "--model", s(model), "--features", s(features), "--threshold", "620", "--subject",
        LedgerCommandsTest.ALICE, "--chain-id", "31337", "--policy", POLICY, "--out", s(bundle));
    assertEquals(0, p.exit(), p.toString());

    stack = new ComposeContainer(DockerfileTest.ROOT.resolve("docker-compose.yml").toFile())
        .withEnv("VERIDICT_API_KEY", API_KEY)
        // free host ports, so a developer's own 8080/8545 does not collide
        .withEnv("VERIDICT_PORT", Integer.toString(DevNode.freePort()))
        .withEnv("VERIDICT_ANVIL_PORT", Integer.toString(DevNode.freePort()))
        .withBuild(true)
        .withPull(false) // veridict:local is built, not pulled; `up` pulls anvil's pinned image
        .withRemoveVolumes(true)
        .withExposedService("veridict", 8080,
            Wait.forHttp("/ready").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(20)));
    stack.start();
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.stop();
    }
  }

  static String base() {
    return "http://" + stack.getServiceHost("veridict", 8080) + ":" + stack.getServicePort("veridict", 8080);
  }

  @Test
  void theStackIsReadyAndVerifiesADecision() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base() + "/ready")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ready.statusCode(), ready.body());

    HttpRequest verify = HttpRequest.newBuilder(URI.create(base() + "/v1/verify"))
        .timeout(Duration.ofMinutes(1))
        .header("Authorization", "Bearer " + API_KEY)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofFile(bundle))
        .build();
    HttpResponse<String> r = http.send(verify, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = Cli.JSON.readTree(r.body());
    assertTrue(body.path("verified").asBoolean(false), r.body());
    ServeIT.flow(base(), POLICY);
  }
}
