package io.veridict.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable 32-byte value: a Merkle root, a commitment, a transaction hash, a policy id.
 *
 * <p>Copies at the boundary ({@link #of}, {@link #toByteArray}) and trusts inside, like okio's
 * {@code ByteString}, so a caller that later mutates its array cannot change a value that has been
 * validated, signed or anchored. Equality is by content. {@link #toString()} is lowercase hex
 * with a {@code 0x} prefix, the form used in Solidity tests and JSON.
 */
public final class Bytes32 implements Comparable<Bytes32> {
  /** Number of bytes. */
  public static final int SIZE = 32;

  /** Thirty-two zero bytes (the "no fact" / "no hash" value on EVM contracts). */
  public static final Bytes32 ZERO = new Bytes32(new byte[SIZE]);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private Bytes32(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Copies exactly 32 bytes.
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static Bytes32 of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException(
          "a Bytes32 needs exactly 32 bytes, got " + bytes.length);
    }
    return new Bytes32(bytes.clone());
  }

  /**
   * Parses 64 hex digits, with or without a {@code 0x} prefix, in either case.
   *
   * @throws IllegalArgumentException if the text is not 64 hex digits
   */
  public static Bytes32 fromHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (digits.length() != 2 * SIZE) {
      throw new IllegalArgumentException(
          "a Bytes32 is 64 hex digits, got " + digits.length() + " in '" + abbreviate(hex) + "'");
    }
    try {
      return new Bytes32(HEX.parseHex(digits));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex: '" + abbreviate(hex) + "'", e);
    }
  }

  /** A fresh copy of the 32 bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The byte at {@code index} (0..31). */
  public byte get(int index) {
    return bytes[Objects.checkIndex(index, SIZE)];
  }

  /** Copies the 32 bytes into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(bytes, 0, dst, offset, SIZE);
  }

  /** 64 lowercase hex digits, no prefix. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  /** True if all 32 bytes are zero. */
  public boolean isZero() {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Unsigned lexicographic order, the order OpenZeppelin uses to sort leaves and pairs. */
  @Override
  public int compareTo(Bytes32 other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes32 other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** {@code 0x} followed by 64 lowercase hex digits. */
  @Override
  public String toString() {
    return "0x" + toHex();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
