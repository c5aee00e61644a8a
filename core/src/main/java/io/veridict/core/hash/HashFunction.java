package io.veridict.core.hash;

/** The commitment hash functions a proof may use; the code is what the proof header carries. */
public enum HashFunction {
  /** BLAKE3 with 256-bit output: the fastest off-chain choice. */
  BLAKE3_256(1, "blake3"),
  /** Keccak-256 (Ethereum's, original Keccak padding; not FIPS SHA3-256): cheap on an EVM. */
  KECCAK_256(2, "keccak256"),
  /** SHA-256 (FIPS 180-4). */
  SHA_256(3, "sha256");

  private final int code;
  private final String cliName;

  HashFunction(int code, String cliName) {
    this.code = code;
    this.cliName = cliName;
  }

  /** Stable wire code (one byte in the proof header). */
  public int code() {
    return code;
  }

  /** Short lower-case name used on the command line and in JSON. */
  public String cliName() {
    return cliName;
  }

  /** The function with wire code {@code code}, or {@code null} if none. */
  public static HashFunction fromCode(int code) {
    for (HashFunction f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    return null;
  }

  /** The function with CLI name {@code name} (case-insensitive), or {@code null}. */
  public static HashFunction fromCliName(String name) {
    for (HashFunction f : values()) {
      if (f.cliName.equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }
}
