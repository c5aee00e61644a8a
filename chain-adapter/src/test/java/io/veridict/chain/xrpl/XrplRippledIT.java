package io.veridict.chain.xrpl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.veridict.chain.Bytes32;
import io.veridict.chain.LedgerEntry;
import io.veridict.chain.PreparedTx;
import io.veridict.chain.TxStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * {@link XrplLedgerAnchor} against a real rippled in standalone mode ({@code rippled -a}), for
 * machines with Docker; skipped cleanly without it. The genesis account of standalone mode
 * ({@code rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh}) signs; a background thread closes ledgers with the
 * admin {@code ledger_accept} command, standalone mode's stand-in for consensus.
 *
 * <p>Not run on the machine this was written on (no Docker there): the image tag and the config
 * are unverified here.
 */
@Testcontainers(disabledWithoutDocker = true)
final class XrplRippledIT {
  static final String IMAGE = "rippleci/rippled:2.3.0";

  @Container
  static final GenericContainer<?> RIPPLED = new GenericContainer<>(DockerImageName.parse(IMAGE))
      .withCopyFileToContainer(MountableFile.forClasspathResource("rippled/rippled.cfg"), "/etc/opt/ripple/rippled.cfg")
      .withCopyFileToContainer(MountableFile.forClasspathResource("rippled/validators.txt"), "/etc/opt/ripple/validators.txt")
      .withCreateContainerCmdModifier(c -> c.withEntrypoint("bash"))
      .withCommand("-c", "mkdir -p /var/lib/rippled/db /var/log/rippled && rippled -a --start --conf /etc/opt/ripple/rippled.cfg")
      .withExposedPorts(5005)
      .waitingFor(Wait.forHttp("/").forPort(5005).withMethod("POST").forStatusCode(200)
          .withStartupTimeout(Duration.ofMinutes(2)));

  static URI url() {
    return URI.create("http://" + RIPPLED.getHost() + ":" + RIPPLED.getMappedPort(5005) + "/");
  }

  static void ledgerAccept() {
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(url())
              .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"ledger_accept\",\"params\":[{}]}")).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      // the next tick tries again
    }
  }

  @Test
  void anchor_onRealRippled_isFinalInAValidatedLedger_andFoundInHistory() throws Exception {
    ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor();
    closer.scheduleAtFixedRate(XrplRippledIT::ledgerAccept, 0, 300, TimeUnit.MILLISECONDS);
    try (XrplLedgerAnchor a = XrplLedgerAnchor.connect(
        XrplConfig.of(url()).withPollInterval(Duration.ofMillis(200)),
        XrplSigningKey.fromSeed("snoPBrXtMeMyMHUVTgbuqAfg1SUTb"))) {
      byte[] r = new byte[32];
      r[0] = 0x42;
      LedgerEntry.BatchAnchor entry = new LedgerEntry.BatchAnchor(Bytes32.of(r), 3, Bytes32.ZERO);
      PreparedTx tx = a.prepare(entry);
      a.submit(tx);
      a.submit(tx); // idempotent
      assertInstanceOf(TxStatus.Final.class, a.awaitFinal(tx, Duration.ofSeconds(60)));
      assertEquals(tx.txHash(), a.find(entry.root()).orElseThrow().txHash());
    } finally {
      closer.shutdownNow();
    }
  }
}
