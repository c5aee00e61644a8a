package io.veridict.verifierapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/veridict-verifier.jar} as a regulator runs it: a separate JVM, {@code
 * java -jar}, nothing else on the class path; and the jar carries no prover code.
 */
class VerifierJarIT {
  static final Path JAR = Path.of("target/veridict-verifier.jar");

  @TempDir Path dir;

  @Test
  void theJarVerifiesABundleOnItsOwn_andHoldsNoProverCode() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "package the module first: " + JAR.toAbsolutePath());
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("io/veridict/prover/")),
          "the regulator's jar must not contain the prover");
      assertTrue(jar.stream().anyMatch(e -> e.getName().equals("io/veridict/model/DecisionVerifier.class")));
    }
    System.out.printf("veridict-verifier.jar: %.1f MB%n", Files.size(JAR) / 1e6);
    Bundles.Made made = Bundles.make(dir);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-jar", JAR.toAbsolutePath().toString(),
        made.bundle().toString(), "--expect-model", made.modelCommitment(), "--json"))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("\"verified\":true"), out);
  }
}
