package io.veridict.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class EntryCodecTest {
  static final String H = "1111111111111111111111111111111111111111111111111111111111111111";

  @Test
  void encode_isCanonical_andRoundTrips() {
    List<LedgerEntry> es = List.of(
        new LedgerEntry.BatchAnchor(Bytes32.fromHex(H), 3, Bytes32.ZERO),
        new LedgerEntry.ModelRegistration(Bytes32.fromHex(H), Bytes32.ZERO, Bytes32.fromHex(H), ""),
        new LedgerEntry.ModelDeprecation(Bytes32.fromHex(H), "r"),
        new LedgerEntry.EligibilityGrant(TestGrants.statement("0x" + "AB".repeat(20), Bytes32.fromHex(H), 0, 1), 5),
        new LedgerEntry.EligibilityGrant(new GateStatement(1, Bytes32.fromHex(H), Bytes32.fromHex(H), Bytes32.ZERO,
            GateStatement.AT_MOST, Double.doubleToLongBits(-1e6), Long.MIN_VALUE, false, Long.MAX_VALUE,
            "0x" + "ff".repeat(20), Bytes32.fromHex(H), Bytes32.fromHex(H), Long.MAX_VALUE), Long.MAX_VALUE),
        new LedgerEntry.EligibilityRevocation("0x" + "ab".repeat(20), Bytes32.fromHex(H), ""),
        new LedgerEntry.EligibilityReinstatement("0x" + "ab".repeat(20), Bytes32.fromHex(H), "cleared"));
    for (LedgerEntry e : es) {
      byte[] enc = EntryCodec.encode(e);
      assertEquals(e, EntryCodec.decode(enc));
      assertArrayEquals(enc, EntryCodec.encode(EntryCodec.decode(enc)));
    }
    assertEquals("{\"v\":1,\"kind\":\"anchor\",\"root\":\"" + H + "\",\"count\":3,\"meta\":\"" + "00".repeat(32) + "\"}",
        new String(EntryCodec.encode(es.get(0)), StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "[]",
      "{\"v\":1,\"kind\":\"anchor\",\"root\":\"" + H + "\",\"count\":3}",
      "{\"v\":1,\"kind\":\"anchor\",\"root\":\"" + H + "\",\"count\":3,\"meta\":\"" + H + "\",\"x\":1}",
      "{\"v\":2,\"kind\":\"anchor\",\"root\":\"" + H + "\",\"count\":3,\"meta\":\"" + H + "\"}",
      "{\"v\":1,\"kind\":\"anchor\",\"root\":\"" + H + "\",\"count\":\"3\",\"meta\":\"" + H + "\"}",
      "{\"v\":1,\"kind\":\"anchor\",\"root\":\"" + H + "\",\"count\":0,\"meta\":\"" + H + "\"}",
      "{\"v\":1,\"kind\":\"anchor\",\"root\":\"0x" + H + "\",\"count\":3,\"meta\":\"" + H + "\"}",
      "{ \"v\":1,\"kind\":\"anchor\",\"root\":\"" + H + "\",\"count\":3,\"meta\":\"" + H + "\"}",
      "{\"v\":1,\"kind\":\"payment\"}",
      "{\"v\":1,\"kind\":\"grant\",\"subject\":\"0x12\",\"policy\":\"" + H + "\",\"fact\":\"" + H + "\",\"validUntil\":5}",
      // format 1 grants (a caller-supplied fact) are refused, even well-formed ones
      "{\"v\":1,\"kind\":\"grant\",\"subject\":\"0x1212121212121212121212121212121212121212\",\"policy\":\"" + H + "\",\"fact\":\"" + H + "\",\"validUntil\":5}",
      "{\"v\":2,\"kind\":\"grant\",\"statement\":{},\"validUntil\":5}",
      "{\"v\":1,\"kind\":\"reinstate\",\"subject\":\"0x1212121212121212121212121212121212121212\",\"policy\":\"" + H + "\"}",
  })
  void decode_rejectsAnythingButACanonicalEntry(String s) {
    assertThrows(IllegalArgumentException.class, () -> EntryCodec.decode(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void decode_rejectsOversizedInput() {
    assertThrows(IllegalArgumentException.class, () -> EntryCodec.decode(new byte[EntryCodec.MAX_ENCODED_BYTES + 1]));
  }
}
