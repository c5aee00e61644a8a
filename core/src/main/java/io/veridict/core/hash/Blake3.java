package io.veridict.core.hash;
public final class Blake3 implements Hash256 {
  public static final Blake3 INSTANCE = new Blake3();
  public HashFunction id() { return HashFunction.BLAKE3_256; }
  public byte[] digest(byte[] msg) { var dg = new org.bouncycastle.crypto.digests.Blake3Digest(256); dg.update(msg, 0, msg.length); byte[] o = new byte[32]; dg.doFinal(o, 0); return o; }
  public void hashLongs(long[] src, int off, int len, long[] out, int outOff) {
    byte[] b = new byte[8*len]; for (int i=0;i<len;i++) io.veridict.core.field.Goldilocks.toBytesLe(src[off+i], b, 8*i);
    byte[] dgst = digest(b); for (int i=0;i<4;i++) out[outOff+i] = io.veridict.core.field.Goldilocks.fromBytesLe(dgst, 8*i);
  }
  public void merge(long[] l, int lo, long[] r, int ro, long[] out, int oo) {
    long[] t = new long[8]; System.arraycopy(l, lo, t, 0, 4); System.arraycopy(r, ro, t, 4, 4); hashLongs(t, 0, 8, out, oo);
  }
}
