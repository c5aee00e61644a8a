package io.veridict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.veridict.contracts.DevNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validates {@code docker-compose.yml} with the real {@code docker-compose} (Debian's 1.29, which
 * {@code .ci/run} installs) when it is on the PATH, and checks the resolved configuration: the
 * three services, deploy before the service, the deploy job's command and the public dev key, the
 * pinned anvil matching the npm anvil the tests use. Skipped (Assumptions) without the binary.
 * {@code config} needs no Docker engine.
 */
class ComposeConfigTest {
  static Path binary;

  @BeforeAll
  static void findDockerCompose() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        Path c = Path.of(dir, "docker-compose");
        if (Files.isExecutable(c)) {
          binary = c;
          break;
        }
      }
    }
    Assumptions.assumeTrue(binary != null, "docker-compose is not on the PATH (.ci/run installs it)");
  }

  record Result(int exit, String out, String err) {}

  static Result compose(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-f", "docker-compose.yml"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("compose-out", ".txt");
    Path err = Files.createTempFile("compose-err", ".txt");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(DockerfileTest.ROOT.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      // Only what the test sets: a developer's exported VERIDICT_* must not change the outcome.
      pb.environment().keySet().removeIf(k -> k.startsWith("VERIDICT_") || k.startsWith("COMPOSE_"));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("docker-compose " + args[0] + " hung");
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void theComposeFileIsValidAndWiredAsDocumented() throws Exception {
    Result r = compose(Map.of("VERIDICT_API_KEY", "compose-config-test"), "config");
    assertEquals(0, r.exit(), r.err());
    JsonNode cfg = new ObjectMapper(new YAMLFactory()).readTree(r.out());
    JsonNode services = cfg.get("services");
    Set<String> names = new TreeSet<>();
    services.fieldNames().forEachRemaining(names::add);
    assertEquals(Set.of("anvil", "deploy", "veridict"), names);

    JsonNode anvil = services.get("anvil");
    assertEquals("[\"anvil\"]", anvil.get("entrypoint").toString());
    assertEquals(List.of("--host", "0.0.0.0", "--port", "8545", "--chain-id", "31337"), strings(anvil.get("command")));
    String image = anvil.get("image").asText();
    assertTrue(image.matches("ghcr\\.io/foundry-rs/foundry:v\\d+\\.\\d+\\.\\d+@sha256:[0-9a-f]{64}"), image);
    // The compose anvil is the release the tests run (npm @foundry-rs/anvil, pinned in package.json).
    String npmAnvil = Cli.JSON.readTree(Files.readString(DockerfileTest.ROOT.resolve("contracts/package.json")))
        .get("devDependencies").get("@foundry-rs/anvil").asText();
    assertTrue(image.startsWith("ghcr.io/foundry-rs/foundry:v" + npmAnvil + "@"), image + " vs npm " + npmAnvil);

    JsonNode deploy = services.get("deploy");
    assertEquals(List.of("ledger", "deploy", "--rpc", "http://anvil:8545", "--chain-id", "31337", "--out",
        "/shared/dev-ledger.json", "--force"), strings(deploy.get("command")));
    assertEquals("service_healthy", deploy.get("depends_on").get("anvil").get("condition").asText());
    // The only key in the file is anvil's public test key: never a real one.
    assertEquals(DevNode.DEV_KEYS.get(0), deploy.get("environment").get("VERIDICT_LEDGER_KEY").asText());
    assertTrue(deploy.has("build"), "the deploy job runs the image built from the Dockerfile");

    JsonNode veridict = services.get("veridict");
    List<String> serve = strings(veridict.get("command"));
    assertEquals("serve", serve.get(0));
    assertEquals("/shared/dev-ledger.json", serve.get(serve.indexOf("--ledger-config") + 1));
    assertEquals("evm", serve.get(serve.indexOf("--ledger") + 1));
    assertEquals("0.0.0.0", serve.get(serve.indexOf("--host") + 1));
    assertEquals("/data", serve.get(serve.indexOf("--data-dir") + 1));
    assertEquals("service_completed_successfully",
        veridict.get("depends_on").get("deploy").get("condition").asText());
    assertEquals("compose-config-test", veridict.get("environment").get("VERIDICT_API_KEY").asText());
    assertTrue(veridict.get("healthcheck").get("test").toString().contains("/ready"), veridict.toString());
    assertEquals(deploy.get("image"), veridict.get("image"), "one image for the job and the service");
    Set<String> volumes = new TreeSet<>();
    cfg.get("volumes").fieldNames().forEachRemaining(volumes::add);
    assertEquals(Set.of("data", "shared"), volumes);
    assertTrue(strings(veridict.get("volumes")).containsAll(List.of("shared:/shared:rw", "data:/data:rw")),
        veridict.get("volumes").toString());
    for (JsonNode s : List.of(anvil, veridict)) {
      for (String port : strings(s.get("ports"))) {
        assertTrue(port.startsWith("127.0.0.1:"), "published beyond loopback: " + port);
      }
    }
  }

  @Test
  void withoutAnApiKeyComposeRefusesToStart() throws Exception {
    Result r = compose(Map.of(), "config", "-q");
    assertNotEquals(0, r.exit(), r.out());
    assertTrue(r.err().contains("VERIDICT_API_KEY"), r.err());
  }

  @Test
  void thePublishedPortsCanBeMoved() throws Exception {
    Result r = compose(Map.of("VERIDICT_API_KEY", "k", "VERIDICT_PORT", "18080", "VERIDICT_ANVIL_PORT", "18545"),
        "config");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("127.0.0.1:18080:8080") && r.out().contains("127.0.0.1:18545:8545"), r.out());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
