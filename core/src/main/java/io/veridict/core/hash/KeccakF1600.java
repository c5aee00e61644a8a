package io.veridict.core.hash;
public final class KeccakF1600 {
  private static final long[] RC = {0x0000000000000001L,0x0000000000008082L,0x800000000000808aL,0x8000000080008000L,0x000000000000808bL,0x0000000080000001L,0x8000000080008081L,0x8000000000008009L,0x000000000000008aL,0x0000000000000088L,0x0000000080008009L,0x000000008000000aL,0x000000008000808bL,0x800000000000008bL,0x8000000000008089L,0x8000000000008003L,0x8000000000008002L,0x8000000000000080L,0x000000000000800aL,0x800000008000000aL,0x8000000080008081L,0x8000000000008080L,0x0000000080000001L,0x8000000080008008L};
  private static final int[] ROT = {0,1,62,28,27,36,44,6,55,20,3,10,43,25,39,41,45,15,21,8,18,2,61,56,14};
  public static void permute(long[] a) {
    long[] c = new long[5]; long[] b = new long[25];
    for (int r = 0; r < 24; r++) {
      for (int x = 0; x < 5; x++) c[x] = a[x]^a[x+5]^a[x+10]^a[x+15]^a[x+20];
      for (int x = 0; x < 5; x++) { long dd = c[(x+4)%5]^Long.rotateLeft(c[(x+1)%5],1); for (int y=0;y<25;y+=5) a[y+x]^=dd; }
      for (int x=0;x<5;x++) for (int y=0;y<5;y++) b[y + 5*((2*x+3*y)%5)] = Long.rotateLeft(a[x+5*y], ROT[x+5*y]);
      for (int x=0;x<5;x++) for (int y=0;y<5;y++) a[x+5*y] = b[x+5*y]^((~b[(x+1)%5+5*y])&b[(x+2)%5+5*y]);
      a[0]^=RC[r];
    }
  }
}
