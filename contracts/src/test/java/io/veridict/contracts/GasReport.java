package io.veridict.contracts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Gas used per external function, from receipts, as a Markdown table. */
final class GasReport {
  private final Map<String, List<Long>> samples = new TreeMap<>();

  synchronized TransactionReceipt add(String function, TransactionReceipt r) {
    samples.computeIfAbsent(function, k -> new ArrayList<>()).add(r.getGasUsed().longValueExact());
    return r;
  }

  synchronized String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| contract.function | calls | min gas | max gas | mean gas |\n");
    sb.append("|---|---:|---:|---:|---:|\n");
    for (var e : samples.entrySet()) {
      List<Long> v = e.getValue();
      long min = v.stream().mapToLong(Long::longValue).min().orElse(0);
      long max = v.stream().mapToLong(Long::longValue).max().orElse(0);
      long mean = Math.round(v.stream().mapToLong(Long::longValue).average().orElse(0));
      sb.append("| `").append(e.getKey()).append("` | ").append(v.size()).append(" | ")
          .append(min).append(" | ").append(max).append(" | ").append(mean).append(" |\n");
    }
    return sb.toString();
  }

  void write() throws IOException {
    String target = System.getProperty("veridict.gasReport");
    if (target == null) {
      return;
    }
    Path p = Path.of(target);
    Files.createDirectories(p.toAbsolutePath().getParent());
    Files.writeString(
        p,
        "# Contract gas (anvil, solc 0.8.37, optimizer 200 runs, cancun)\n\n"
            + "Gas used per transaction, from receipts of the contract tests (includes the 21,000 base"
            + " cost and calldata).\n\n"
            + markdown());
  }
}
