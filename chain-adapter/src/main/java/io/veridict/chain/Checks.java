package io.veridict.chain;

import java.util.regex.Pattern;

/** Validation constants shared by the value types of this package. */
final class Checks {
  /** A 20-byte hex address with its {@code 0x} prefix, any case. */
  static final Pattern ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]{40}");

  private Checks() {}
}
