package io.veridict.bench;

import io.veridict.verifier.AcceptablePolicy;
import io.veridict.verifier.VerificationException;
import io.veridict.verifier.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code veridict verify stark}: verify a proof of an example statement. Exit 0 when valid, 1 with
 * the typed rejection reason when not, 2 on usage errors (including an unreadable file).
 */
@Command(
    name = "stark",
    mixinStandardHelpOptions = true,
    description = "Verify a proof file for an example AIR (the statement is rebuilt, never read from the proof).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:valid", "1:rejected (the typed reason is printed)", "2:usage error, unreadable proof file"},
    footer = {"", "Example:", "  ./veridict verify stark --air fibonacci --log-rows 16 --proof fib16.bin"})
final class StarkVerifyCommand implements Callable<Integer> {
  @Mixin StarkStatementOptions statement = new StarkStatementOptions();

  @Option(names = "--proof", required = true, description = "proof file written by bench stark --save-proof")
  Path proofFile;

  @Option(names = "--json", description = "print one JSON line")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    StarkStatementOptions.Statement s = statement.statement(spec.commandLine(), false);
    // The requested profile sets the minimum security the verifier accepts.
    AcceptablePolicy policy = "high".equals(statement.profile) ? AcceptablePolicy.high() : AcceptablePolicy.standard();
    byte[] bytes;
    try {
      if (Files.size(proofFile) > policy.maxProofBytes()) {
        return reject("MALFORMED", "proof file is larger than " + policy.maxProofBytes() + " bytes");
      }
      bytes = Files.readAllBytes(proofFile);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + proofFile + ": " + e.getMessage());
    }
    long t0 = System.nanoTime();
    try {
      Verifier.verify(s.air(), s.publicInputs(), bytes, policy);
    } catch (VerificationException e) {
      return reject(e.reason().name(), e.getMessage());
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    if (json) {
      System.out.printf("{\"verified\":true,\"air\":\"%s\",\"log_rows\":%d,\"verify_ms\":%.2f}%n", statement.air, statement.logRows, ms);
    } else {
      System.out.printf("VALID: %s proof for 2^%d rows verified in %.2f ms%n", statement.air, statement.logRows, ms);
    }
    return 0;
  }

  private int reject(String reason, String message) {
    if (json) {
      System.out.printf("{\"verified\":false,\"reason\":\"%s\",\"message\":%s}%n", reason, quote(message));
    } else {
      System.out.println("REJECTED (" + reason + "): " + message);
    }
    return 1;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
