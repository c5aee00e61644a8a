package io.veridict.chain.xrpl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.xrpl.xrpl4j.codec.addresses.AddressCodec;
import org.xrpl.xrpl4j.codec.addresses.UnsignedByteArray;

/**
 * Test-only reader of XRPL's canonical binary format, for the fields an {@code AccountSet} with
 * memos uses, written from the XRPL "Serialization Format" docs (field ids: type code and field
 * code in one to three bytes; length prefixes of one, two or three bytes; objects end with {@code
 * 0xE1}, arrays with {@code 0xF1}).
 *
 * <p>Why it exists: xrpl4j-core 4.0.3's {@code BinaryParser} decodes two-byte length prefixes
 * (fields of 193..12480 bytes) with the wrong formula (XRPLF/xrpl4j issue #805), so it cannot
 * decode an {@code AccountSet} whose {@code MemoData} is longer than 192 bytes, although its
 * encoder writes such fields correctly. Tests that decode our blobs and the {@link
 * RippledSimulator} use this reader instead; {@code XrplOfflineKatTest} checks it agrees with
 * xrpl4j wherever xrpl4j works.
 */
final class XrplBinaryReader {
  private static final HexFormat HEX = HexFormat.of().withUpperCase();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** (type code, field code) → field name, for the fields we accept. */
  private static final Map<Integer, String> FIELDS = Map.ofEntries(
      Map.entry(key(1, 2), "TransactionType"),
      Map.entry(key(2, 2), "Flags"),
      Map.entry(key(2, 4), "Sequence"),
      Map.entry(key(2, 27), "LastLedgerSequence"),
      Map.entry(key(2, 1), "NetworkID"),
      Map.entry(key(2, 14), "DestinationTag"),
      Map.entry(key(6, 1), "Amount"),
      Map.entry(key(6, 8), "Fee"),
      Map.entry(key(7, 3), "SigningPubKey"),
      Map.entry(key(7, 4), "TxnSignature"),
      Map.entry(key(7, 12), "MemoType"),
      Map.entry(key(7, 13), "MemoData"),
      Map.entry(key(7, 14), "MemoFormat"),
      Map.entry(key(8, 1), "Account"),
      Map.entry(key(8, 3), "Destination"),
      Map.entry(key(14, 10), "Memo"),
      Map.entry(key(15, 9), "Memos"));

  private static final Map<Integer, String> TX_TYPES = Map.of(0, "Payment", 3, "AccountSet");

  /** A decoded transaction and where its {@code TxnSignature} field sits in the blob. */
  record Decoded(ObjectNode json, int signatureStart, int signatureEnd) {}

  private final byte[] b;
  private int pos;
  private int sigStart = -1;
  private int sigEnd = -1;

  private XrplBinaryReader(byte[] b) {
    this.b = b;
  }

  static Decoded decode(byte[] blob) {
    XrplBinaryReader r = new XrplBinaryReader(blob);
    ObjectNode o = r.readObject(false, 0);
    if (r.pos != blob.length) {
      throw new IllegalArgumentException("trailing bytes at " + r.pos);
    }
    return new Decoded(o, r.sigStart, r.sigEnd);
  }

  /** The bytes a single signature signs: {@code STX\0} + the blob without {@code TxnSignature}. */
  static byte[] signingBytes(byte[] blob, Decoded d) {
    byte[] rest = d.signatureStart() < 0 ? blob : concat(Arrays.copyOfRange(blob, 0, d.signatureStart()),
        Arrays.copyOfRange(blob, d.signatureEnd(), blob.length));
    return concat(new byte[] {0x53, 0x54, 0x58, 0x00}, rest);
  }

  private static byte[] concat(byte[] a, byte[] c) {
    byte[] out = Arrays.copyOf(a, a.length + c.length);
    System.arraycopy(c, 0, out, a.length, c.length);
    return out;
  }

  private static int key(int type, int field) {
    return type << 16 | field;
  }

  private int u8() {
    if (pos >= b.length) {
      throw new IllegalArgumentException("truncated at " + pos);
    }
    return b[pos++] & 0xff;
  }

  private byte[] bytes(int n) {
    if (n < 0 || pos + n > b.length) {
      throw new IllegalArgumentException("truncated field at " + pos);
    }
    byte[] out = Arrays.copyOfRange(b, pos, pos + n);
    pos += n;
    return out;
  }

  private long uint(int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = v << 8 | u8();
    }
    return v;
  }

  /** Length prefix: 0..192 in one byte, 193..12480 in two, 12481..918744 in three. */
  private int vlLength() {
    int b1 = u8();
    if (b1 <= 192) {
      return b1;
    }
    if (b1 <= 240) {
      return 193 + (b1 - 193) * 256 + u8();
    }
    if (b1 <= 254) {
      return 12481 + (b1 - 241) * 65536 + u8() * 256 + u8();
    }
    throw new IllegalArgumentException("bad length prefix");
  }

  private ObjectNode readObject(boolean inner, int depth) {
    if (depth > 4) {
      throw new IllegalArgumentException("too deep");
    }
    ObjectNode o = JSON.createObjectNode();
    while (pos < b.length) {
      int start = pos;
      int h = u8();
      int type = h >> 4;
      int field = h & 0x0f;
      if (type == 0) {
        type = u8();
      }
      if (field == 0) {
        field = u8();
      }
      if (type == 14 && field == 1) {
        if (!inner) {
          throw new IllegalArgumentException("object end marker at top level");
        }
        return o;
      }
      String name = FIELDS.get(key(type, field));
      if (name == null) {
        throw new IllegalArgumentException("unsupported field type " + type + " code " + field);
      }
      switch (type) {
        case 1 -> {
          long v = uint(2);
          o.put(name, name.equals("TransactionType") ? TX_TYPES.getOrDefault((int) v, "Type" + v) : Long.toString(v));
        }
        case 2 -> o.put(name, uint(4));
        case 6 -> {
          long raw = uint(8);
          if ((raw & 0x8000_0000_0000_0000L) != 0) {
            throw new IllegalArgumentException("issued-currency amounts unsupported");
          }
          o.put(name, Long.toString(raw & 0x3FFF_FFFF_FFFF_FFFFL));
        }
        case 7 -> o.put(name, HEX.formatHex(bytes(vlLength())));
        case 8 -> {
          int n = vlLength();
          if (n != 20) {
            throw new IllegalArgumentException("AccountID must be 20 bytes");
          }
          o.put(name, AddressCodec.getInstance().encodeAccountId(UnsignedByteArray.of(bytes(20))).value());
        }
        case 14 -> o.set(name, readObject(true, depth + 1));
        case 15 -> {
          ArrayNode arr = o.putArray(name);
          while (true) {
            int p = pos;
            int eh = u8();
            if (eh == 0xF1) {
              break;
            }
            pos = p;
            int hh = u8();
            String elem = FIELDS.get(key(hh >> 4, hh & 0x0f));
            if (elem == null || (hh >> 4) != 14) {
              throw new IllegalArgumentException("array element must be an object");
            }
            ObjectNode wrapper = arr.addObject();
            wrapper.set(elem, readObject(true, depth + 1));
          }
        }
        default -> throw new IllegalArgumentException("unsupported type " + type);
      }
      if (name.equals("TxnSignature") && !inner) {
        sigStart = start;
        sigEnd = pos;
      }
    }
    if (inner) {
      throw new IllegalArgumentException("object without end marker");
    }
    return o;
  }
}
