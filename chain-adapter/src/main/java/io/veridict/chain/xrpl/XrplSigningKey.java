package io.veridict.chain.xrpl;

import io.veridict.chain.LedgerException;
import io.veridict.chain.LedgerException.Reason;
import java.util.Objects;
import org.xrpl.xrpl4j.codec.addresses.KeyType;
import org.xrpl.xrpl4j.codec.addresses.UnsignedByteArray;
import org.xrpl.xrpl4j.crypto.keys.Base58EncodedSecret;
import org.xrpl.xrpl4j.crypto.keys.PrivateKey;
import org.xrpl.xrpl4j.crypto.keys.Seed;

/**
 * The key that signs an {@link XrplLedgerAnchor}'s transactions: an Ed25519 or secp256k1 private
 * key, or an XRPL family seed ({@code s...}). No xrpl4j type appears in this API; {@link
 * #toString()} never shows key material.
 */
public final class XrplSigningKey {
  private final PrivateKey privateKey;

  private XrplSigningKey(PrivateKey privateKey) {
    this.privateKey = privateKey;
  }

  /** A raw 32-byte Ed25519 private key. */
  public static XrplSigningKey ed25519(byte[] privateKey) throws LedgerException {
    return of(privateKey, KeyType.ED25519);
  }

  /** A raw 32-byte secp256k1 private key (XRPL's default key type). */
  public static XrplSigningKey secp256k1(byte[] privateKey) throws LedgerException {
    return of(privateKey, KeyType.SECP256K1);
  }

  /** A base58 family seed ({@code sEd...} for Ed25519, {@code s...} for secp256k1). */
  public static XrplSigningKey fromSeed(String base58Seed) throws LedgerException {
    Objects.requireNonNull(base58Seed, "base58Seed");
    try {
      Seed seed = Seed.fromBase58EncodedSecret(Base58EncodedSecret.of(base58Seed.strip()));
      return new XrplSigningKey(seed.deriveKeyPair().privateKey());
    } catch (RuntimeException e) {
      // never echo the seed
      throw new LedgerException(Reason.BAD_KEY, "not a valid XRPL family seed");
    }
  }

  private static XrplSigningKey of(byte[] key, KeyType type) throws LedgerException {
    if (key == null || key.length != 32) {
      throw new LedgerException(Reason.BAD_KEY, "an XRPL " + type + " private key is 32 bytes");
    }
    try {
      return new XrplSigningKey(PrivateKey.fromNaturalBytes(UnsignedByteArray.of(key.clone()), type));
    } catch (RuntimeException e) {
      throw new LedgerException(Reason.BAD_KEY, "not a valid " + type + " private key");
    }
  }

  PrivateKey privateKey() {
    return privateKey;
  }

  /** {@code "ED25519"} or {@code "SECP256K1"}. */
  public String keyType() {
    return privateKey.keyType().name();
  }

  @Override
  public String toString() {
    return "XrplSigningKey[" + keyType() + ", hidden]";
  }
}
