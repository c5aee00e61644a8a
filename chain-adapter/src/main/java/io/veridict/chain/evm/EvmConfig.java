package io.veridict.chain.evm;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link EvmLedgerAnchor} talks to one EVM chain. Immutable; validated at construction
 * with messages that give the bad value and the rule. Start from {@link #of} and adjust with the
 * {@code with…} methods.
 *
 * @param rpc the node's JSON-RPC endpoint ({@code http} or {@code https})
 * @param chainId the chain every transaction is signed for (EIP-155 / EIP-1559); a node reporting
 *     another {@code eth_chainId} is refused with {@code WRONG_CHAIN}
 * @param contracts the Veridict contract addresses
 * @param confirmations blocks (including its own) a receipt needs before it is {@code FINAL}
 * @param pollInterval pause between receipt polls in {@code awaitFinal}
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time allowed for one JSON-RPC answer
 * @param maxFeePerGasCapWei the most this adapter ever offers per gas (EIP-1559 {@code
 *     maxFeePerGas}); when base fee + tip exceed it, {@code prepare} fails with {@code FEE_TOO_HIGH}
 * @param maxPriorityFeePerGasCapWei the most it ever tips per gas
 * @param gasLimits explicit gas limits per entry kind (estimates are not trusted)
 * @param logChunkBlocks blocks per {@code eth_getLogs} request when scanning history (halved
 *     automatically when the node refuses a range)
 */
public record EvmConfig(
    URI rpc,
    long chainId,
    EvmContracts contracts,
    int confirmations,
    Duration pollInterval,
    Duration connectTimeout,
    Duration requestTimeout,
    BigInteger maxFeePerGasCapWei,
    BigInteger maxPriorityFeePerGasCapWei,
    GasLimits gasLimits,
    long logChunkBlocks) {

  /**
   * Gas limits per entry kind, set explicitly rather than estimated (REFERENCES pitfall 20). The
   * defaults cover the largest entries the port allows (256-byte texts) with headroom; the
   * integration tests check that.
   */
  public record GasLimits(long anchor, long register, long deprecate, long grant, long revoke) {
    public GasLimits {
      for (long g : new long[] {anchor, register, deprecate, grant, revoke}) {
        if (g < 21_000 || g > 30_000_000) {
          throw new IllegalArgumentException("a gas limit must be in 21000..30000000, got " + g);
        }
      }
    }

    /** Limits measured on the contracts with maximal inputs, plus about 40% headroom. */
    public static GasLimits defaults() {
      return new GasLimits(200_000, 560_000, 400_000, 260_000, 120_000);
    }
  }

  public EvmConfig {
    Objects.requireNonNull(rpc, "rpc");
    String scheme = rpc.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || rpc.getHost() == null) {
      throw new IllegalArgumentException("rpc must be an http(s) URL with a host, got " + rpc);
    }
    if (chainId < 1) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    Objects.requireNonNull(contracts, "contracts");
    if (confirmations < 1 || confirmations > 1000) {
      throw new IllegalArgumentException("confirmations must be 1..1000, got " + confirmations);
    }
    positive("pollInterval", pollInterval);
    positive("connectTimeout", connectTimeout);
    positive("requestTimeout", requestTimeout);
    Objects.requireNonNull(maxFeePerGasCapWei, "maxFeePerGasCapWei");
    Objects.requireNonNull(maxPriorityFeePerGasCapWei, "maxPriorityFeePerGasCapWei");
    if (maxFeePerGasCapWei.signum() <= 0 || maxPriorityFeePerGasCapWei.signum() < 0
        || maxPriorityFeePerGasCapWei.compareTo(maxFeePerGasCapWei) > 0) {
      throw new IllegalArgumentException(
          "fee caps must satisfy 0 <= tip cap <= max fee cap and max fee cap > 0, got tip cap "
              + maxPriorityFeePerGasCapWei + ", max fee cap " + maxFeePerGasCapWei);
    }
    Objects.requireNonNull(gasLimits, "gasLimits");
    if (logChunkBlocks < 1 || logChunkBlocks > 100_000) {
      throw new IllegalArgumentException("logChunkBlocks must be 1..100000, got " + logChunkBlocks);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  /**
   * Defaults: 3 confirmations, 1 s polling, 5 s connect and 15 s request timeouts, fee caps of
   * 200 gwei (max fee) and 5 gwei (tip), {@link GasLimits#defaults()}, 2,000-block log chunks.
   */
  public static EvmConfig of(URI rpc, long chainId, EvmContracts contracts) {
    return new EvmConfig(
        rpc, chainId, contracts, 3, Duration.ofSeconds(1), Duration.ofSeconds(5),
        Duration.ofSeconds(15), gwei(200), gwei(5), GasLimits.defaults(), 2_000);
  }

  /** {@code n} gwei in wei. */
  public static BigInteger gwei(long n) {
    return BigInteger.valueOf(n).multiply(BigInteger.TEN.pow(9));
  }

  public EvmConfig withConfirmations(int n) {
    return new EvmConfig(rpc, chainId, contracts, n, pollInterval, connectTimeout, requestTimeout,
        maxFeePerGasCapWei, maxPriorityFeePerGasCapWei, gasLimits, logChunkBlocks);
  }

  public EvmConfig withPollInterval(Duration d) {
    return new EvmConfig(rpc, chainId, contracts, confirmations, d, connectTimeout, requestTimeout,
        maxFeePerGasCapWei, maxPriorityFeePerGasCapWei, gasLimits, logChunkBlocks);
  }

  public EvmConfig withTimeouts(Duration connect, Duration request) {
    return new EvmConfig(rpc, chainId, contracts, confirmations, pollInterval, connect, request,
        maxFeePerGasCapWei, maxPriorityFeePerGasCapWei, gasLimits, logChunkBlocks);
  }

  public EvmConfig withFeeCaps(BigInteger maxFeePerGasWei, BigInteger maxPriorityFeePerGasWei) {
    return new EvmConfig(rpc, chainId, contracts, confirmations, pollInterval, connectTimeout,
        requestTimeout, maxFeePerGasWei, maxPriorityFeePerGasWei, gasLimits, logChunkBlocks);
  }

  public EvmConfig withGasLimits(GasLimits limits) {
    return new EvmConfig(rpc, chainId, contracts, confirmations, pollInterval, connectTimeout,
        requestTimeout, maxFeePerGasCapWei, maxPriorityFeePerGasCapWei, limits, logChunkBlocks);
  }

  public EvmConfig withLogChunkBlocks(long blocks) {
    return new EvmConfig(rpc, chainId, contracts, confirmations, pollInterval, connectTimeout,
        requestTimeout, maxFeePerGasCapWei, maxPriorityFeePerGasCapWei, gasLimits, blocks);
  }
}
