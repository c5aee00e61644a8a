package io.veridict.core.proof;

import io.veridict.core.field.FieldExtension;
import io.veridict.core.field.Goldilocks;
import io.veridict.core.hash.HashFunction;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical binary encoding of a {@link StarkProof}; layout in {@code docs/proof-format.md}.
 *
 * <p>All integers are little-endian. Decoding is strict: wrong magic or version, an unknown code, a
 * field element {@code >= p}, a size beyond its structural bound, a length that does not fit the
 * remaining bytes, or any trailing byte is a {@link ProofFormatException}. Every allocation is
 * checked against the bytes that remain before it is made, so hostile input can never make the
 * decoder allocate more than a small multiple of its own length. Decoding never throws an
 * unchecked exception.
 */
public final class ProofCodec {
  /** "VRDP" little-endian. */
  static final int MAGIC = 0x50445256;

  /** Structural bounds (far above anything the prover emits). */
  static final int MAX_WIDTH = 4096;
  static final int MAX_FRI_LAYERS = 32;
  static final int MAX_FINAL_POLY = 1 << 12;
  static final int MAX_LEAVES = 1024;
  static final int MAX_NODES = 1 << 16;

  private ProofCodec() {}

  public static byte[] encode(StarkProof p) {
    Writer w = new Writer();
    ProofOptions o = p.options();
    w.u32(MAGIC);
    w.u16(StarkProof.VERSION);
    w.u8(o.hash().code());
    w.u8(o.extension().code());
    w.u8(o.logBlowup());
    w.u8(o.numQueries());
    w.u8(o.grindingBits());
    w.u8(o.foldingArity());
    w.u8(o.logFinalPolyMinLength());
    w.u8(o.zeroKnowledge() ? 1 : 0);
    w.u8(p.logTraceLength());
    w.bytes(p.airId());
    int d = o.extension().degree();
    w.u16(p.oodMainCurrent().length / d);
    w.u16(p.hasAux() ? p.oodAuxCurrent().length / d : 0);
    w.u16(p.oodQuotientChunks().length / d);
    w.u8(p.friRoots().size());
    w.u16(p.finalPolynomial().length / d);
    w.words(p.mainRoot());
    if (p.hasAux()) {
      w.words(p.auxRoot());
    }
    w.words(p.compositionRoot());
    w.words(p.oodMainCurrent());
    w.words(p.oodMainNext());
    if (p.hasAux()) {
      w.words(p.oodAuxCurrent());
      w.words(p.oodAuxNext());
    }
    w.words(p.oodQuotientChunks());
    for (long[] r : p.friRoots()) {
      w.words(r);
    }
    w.words(p.finalPolynomial());
    w.u64(p.powNonce());
    writeOpening(w, p.mainOpening());
    if (p.hasAux()) {
      writeOpening(w, p.auxOpening());
    }
    writeOpening(w, p.compositionOpening());
    for (TreeOpening t : p.friOpenings()) {
      writeOpening(w, t);
    }
    return w.toByteArray();
  }

  private static void writeOpening(Writer w, TreeOpening t) {
    w.u16(t.leafCount());
    w.u16(t.leafWidth());
    w.u8(t.saltLongs());
    w.u32(t.nodeCount());
    w.words(t.values());
    w.words(t.salts());
    w.words(t.nodes());
  }

  /** Decodes only the options and trace size (for policy checks before full decoding). */
  public static ProofOptions decodeOptions(byte[] bytes) throws ProofFormatException {
    Reader r = new Reader(bytes);
    return readHeader(r);
  }

  private static ProofOptions readHeader(Reader r) throws ProofFormatException {
    if (r.u32() != MAGIC) {
      throw new ProofFormatException("not a Veridict proof (bad magic)");
    }
    int version = r.u16();
    if (version != StarkProof.VERSION) {
      throw new ProofFormatException("unsupported proof version " + version);
    }
    HashFunction hash = HashFunction.fromCode(r.u8());
    if (hash == null) {
      throw new ProofFormatException("unknown hash function code");
    }
    FieldExtension ext = FieldExtension.fromCode(r.u8());
    if (ext == null) {
      throw new ProofFormatException("unknown field extension code");
    }
    int logBlowup = r.u8();
    int numQueries = r.u8();
    int grinding = r.u8();
    int arity = r.u8();
    int logFinal = r.u8();
    int zk = r.u8();
    if (zk > 1) {
      throw new ProofFormatException("zero-knowledge flag must be 0 or 1");
    }
    try {
      return ProofOptions.fromHeader(
          hash, ext, logBlowup, numQueries, grinding, arity, logFinal, zk == 1);
    } catch (IllegalArgumentException e) {
      throw new ProofFormatException("invalid options: " + e.getMessage());
    }
  }

  public static StarkProof decode(byte[] bytes) throws ProofFormatException {
    if (bytes == null) {
      throw new ProofFormatException("no proof bytes");
    }
    try {
      return decodeStrict(bytes);
    } catch (ProofFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      // Defence in depth: a decoder bug must still surface as a typed rejection.
      throw new ProofFormatException("malformed proof: " + e);
    }
  }

  private static StarkProof decodeStrict(byte[] bytes) throws ProofFormatException {
    Reader r = new Reader(bytes);
    ProofOptions o = readHeader(r);
    int logTrace = r.u8();
    if (logTrace < 1 || logTrace > 28) {
      throw new ProofFormatException("trace length 2^" + logTrace + " out of range");
    }
    byte[] airId = r.bytes(32);
    int d = o.extension().degree();
    int mainW = r.bounded16(MAX_WIDTH, "main width");
    int auxW = r.bounded16(MAX_WIDTH, "aux width");
    int chunks = r.bounded16(MAX_WIDTH, "quotient chunks");
    int layers = r.u8();
    if (layers > MAX_FRI_LAYERS) {
      throw new ProofFormatException("too many FRI layers: " + layers);
    }
    int finalLen = r.bounded16(MAX_FINAL_POLY, "final polynomial length");
    if (mainW == 0 || chunks == 0 || finalLen == 0) {
      throw new ProofFormatException("empty main trace, quotient or final polynomial");
    }
    long[] mainRoot = r.words(4, false);
    long[] auxRoot = auxW > 0 ? r.words(4, false) : null;
    long[] compRoot = r.words(4, false);
    long[] mainCur = r.words(mainW * d, true);
    long[] mainNext = r.words(mainW * d, true);
    long[] auxCur = auxW > 0 ? r.words(auxW * d, true) : new long[0];
    long[] auxNext = auxW > 0 ? r.words(auxW * d, true) : new long[0];
    long[] oodChunks = r.words(chunks * d, true);
    List<long[]> friRoots = new ArrayList<>(layers);
    for (int i = 0; i < layers; i++) {
      friRoots.add(r.words(4, false));
    }
    long[] finalPoly = r.words(finalLen * d, true);
    long nonce = r.u64();
    TreeOpening main = readOpening(r);
    TreeOpening aux = auxW > 0 ? readOpening(r) : null;
    TreeOpening comp = readOpening(r);
    List<TreeOpening> fri = new ArrayList<>(layers);
    for (int i = 0; i < layers; i++) {
      fri.add(readOpening(r));
    }
    if (r.remaining() != 0) {
      throw new ProofFormatException(r.remaining() + " trailing bytes after the proof");
    }
    return new StarkProof(
        o, logTrace, airId, mainRoot, auxRoot, compRoot, mainCur, mainNext, auxCur, auxNext,
        oodChunks, friRoots, finalPoly, nonce, main, aux, comp, fri);
  }

  private static TreeOpening readOpening(Reader r) throws ProofFormatException {
    int leaves = r.bounded16(MAX_LEAVES, "opened leaves");
    int width = r.bounded16(MAX_WIDTH, "leaf width");
    int salt = r.u8();
    if (salt > 8) {
      throw new ProofFormatException("salt too long");
    }
    long nodes = r.u32();
    if (nodes > MAX_NODES) {
      throw new ProofFormatException("too many Merkle nodes: " + nodes);
    }
    if (leaves == 0) {
      throw new ProofFormatException("an opening with no leaves");
    }
    long[] values = r.words((long) leaves * width, true);
    long[] salts = r.words((long) leaves * salt, false);
    long[] nodeWords = r.words(nodes * 4, false);
    return new TreeOpening(leaves, width, salt, values, salts, nodeWords);
  }

  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void u8(int v) {
      out.write(v);
    }

    void u16(int v) {
      if (v < 0 || v > 0xFFFF) {
        throw new IllegalArgumentException("value does not fit 16 bits: " + v);
      }
      out.write(v);
      out.write(v >>> 8);
    }

    void u32(long v) {
      for (int i = 0; i < 4; i++) {
        out.write((int) (v >>> (8 * i)));
      }
    }

    void u64(long v) {
      for (int i = 0; i < 8; i++) {
        out.write((int) (v >>> (8 * i)));
      }
    }

    void words(long[] ws) {
      byte[] b = new byte[8 * ws.length];
      for (int i = 0; i < ws.length; i++) {
        Goldilocks.toBytesLe(ws[i], b, 8 * i);
      }
      out.write(b, 0, b.length);
    }

    void bytes(byte[] b) {
      out.write(b, 0, b.length);
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    int remaining() {
      return b.length - pos;
    }

    private void need(long n) throws ProofFormatException {
      if (n < 0 || n > remaining()) {
        throw new ProofFormatException("truncated proof: need " + n + " bytes at offset " + pos);
      }
    }

    int u8() throws ProofFormatException {
      need(1);
      return b[pos++] & 0xFF;
    }

    int u16() throws ProofFormatException {
      need(2);
      int v = (b[pos] & 0xFF) | ((b[pos + 1] & 0xFF) << 8);
      pos += 2;
      return v;
    }

    int bounded16(int max, String what) throws ProofFormatException {
      int v = u16();
      if (v > max) {
        throw new ProofFormatException(what + " " + v + " exceeds bound " + max);
      }
      return v;
    }

    long u32() throws ProofFormatException {
      need(4);
      long v = 0;
      for (int i = 3; i >= 0; i--) {
        v = (v << 8) | (b[pos + i] & 0xFFL);
      }
      pos += 4;
      return v;
    }

    long u64() throws ProofFormatException {
      need(8);
      long v = Goldilocks.fromBytesLe(b, pos);
      pos += 8;
      return v;
    }

    byte[] bytes(int n) throws ProofFormatException {
      need(n);
      byte[] out = new byte[n];
      System.arraycopy(b, pos, out, 0, n);
      pos += n;
      return out;
    }

    long[] words(long count, boolean fieldElements) throws ProofFormatException {
      need(count * 8);
      long[] out = new long[(int) count];
      for (int i = 0; i < count; i++) {
        long v = Goldilocks.fromBytesLe(b, pos);
        if (fieldElements && !Goldilocks.isCanonical(v)) {
          throw new ProofFormatException("non-canonical field element at offset " + pos);
        }
        out[i] = v;
        pos += 8;
      }
      return out;
    }
  }
}
