package io.veridict.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.veridict.core.proof.ProofCodec;
import io.veridict.core.proof.ProofOptions;
import io.veridict.core.proof.SecurityReport;
import io.veridict.core.proof.StarkLayout;
import io.veridict.prover.Prover;
import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import io.veridict.verifier.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code veridict bench stark}: prove and verify an example statement, print one JSON line. */
@Command(
    name = "stark",
    mixinStandardHelpOptions = true,
    description = "Prove and verify an example AIR; report timings, proof size and security.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:proved and verified", "1:the proof did not verify", "2:usage error"},
    footer = {"", "Example:", "  ./veridict bench stark --air fibonacci --log-rows 20 --no-zk --json"})
final class StarkBenchCommand implements Callable<Integer> {
  /** Verifications per run; {@code verify_ms} is the fastest. */
  static final int VERIFY_RUNS = 30;

  @Mixin StarkStatementOptions statement = new StarkStatementOptions();

  @Option(names = "--save-proof", description = "write the proof bytes to FILE")
  Path saveProof;

  @Option(names = "--json", description = "print one JSON line instead of text")
  boolean json;

  @Option(
      names = "--warmup",
      defaultValue = "0",
      description = "prove this many times first, untimed, so the JIT has compiled the hot paths (default: ${DEFAULT-VALUE})")
  int warmup;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ProofOptions options = statement.proofOptions(spec.commandLine());
    StarkStatementOptions.Statement s = statement.statement(spec.commandLine(), true);
    StarkLayout layout;
    try {
      layout = StarkLayout.of(s.air(), options);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    SecurityReport security = layout.securityReport(options);
    for (int i = 0; i < warmup; i++) {
      Prover.create(options).proveToObject(s.air(), s.publicInputs(), s.witness());
    }
    System.gc();
    HeapSampler sampler = HeapSampler.start();
    long t0 = System.nanoTime();
    Prover.TimedProof timed = Prover.create(options).proveTimed(s.air(), s.publicInputs(), s.witness());
    byte[] proof = ProofCodec.encode(timed.proof());
    long t1 = System.nanoTime();
    long peakHeap = sampler.stop();
    boolean verified = true;
    String rejection = null;
    // Verify several times: early runs include JIT compilation; report the fastest.
    double verifyMs = Double.MAX_VALUE;
    double firstVerifyMs = -1;
    AcceptablePolicy policy = "high".equals(statement.profile) ? AcceptablePolicy.high() : AcceptablePolicy.standard();
    for (int i = 0; i < VERIFY_RUNS && verified; i++) {
      long v0 = System.nanoTime();
      try {
        Verifier.verify(s.air(), s.publicInputs(), proof, policy);
      } catch (VerificationException e) {
        verified = false;
        rejection = e.getMessage();
      }
      double ms = (System.nanoTime() - v0) / 1e6;
      if (firstVerifyMs < 0) {
        firstVerifyMs = ms;
      }
      verifyMs = Math.min(verifyMs, ms);
    }
    if (saveProof != null) {
      Files.write(saveProof, proof);
    }
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode out = mapper.createObjectNode();
    out.put("air", statement.air);
    out.put("log_rows", statement.logRows);
    out.put("zk", options.zeroKnowledge());
    out.put("hash", options.hash().cliName());
    out.put("profile", statement.profile);
    out.put("prove_ms", round((t1 - t0) / 1e6));
    out.put("verify_ms", round(verifyMs));
    out.put("verify_first_ms", round(firstVerifyMs));
    out.put("proof_bytes", proof.length);
    out.put("conjectured_bits", round(security.conjecturedBits()));
    out.put("proven_bits", round(Math.max(security.provenListDecodingBits(), security.provenUniqueDecodingBits())));
    out.put("proven_unique_decoding_bits", round(security.provenUniqueDecodingBits()));
    out.put("proven_list_decoding_bits", round(security.provenListDecodingBits()));
    out.put("verified", verified);
    if (rejection != null) {
      out.put("rejection", rejection);
    }
    out.put("peak_heap_mb", peakHeap >> 20);
    long rss = HeapSampler.peakRssBytes();
    if (rss > 0) {
      out.put("peak_rss_mb", rss >> 20);
    }
    out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    out.put("folding_arity", options.foldingArity());
    out.put("num_queries", options.numQueries());
    out.put("grinding_bits", options.grindingBits());
    out.put("log_blowup", options.logBlowup());
    out.put("extension", options.extension().name().toLowerCase(java.util.Locale.ROOT));
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("warmup_runs", warmup);
    com.fasterxml.jackson.databind.node.ArrayNode terms = out.putArray("security_terms");
    for (io.veridict.core.proof.SecurityTerm t : security.terms()) {
      ObjectNode term = terms.addObject();
      term.put("regime", t.regime());
      term.put("name", t.name());
      term.put("bits", round(t.bits()));
      term.put("formula", t.formula());
    }
    ObjectNode phases = out.putObject("phases_ms");
    for (Map.Entry<String, Double> e : timed.phaseMillis().entrySet()) {
      phases.put(e.getKey(), round(e.getValue()));
    }
    if (json) {
      System.out.println(mapper.writeValueAsString(out));
    } else {
      System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }
    return verified ? 0 : 1;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

}
