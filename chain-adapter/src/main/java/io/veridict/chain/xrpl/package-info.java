/**
 * {@link io.veridict.chain.LedgerAnchor} on the XRP Ledger: {@link
 * io.veridict.chain.xrpl.XrplLedgerAnchor} writes each Veridict entry as an {@code AccountSet}
 * transaction carrying one hex memo ({@code veridict/<kind>}, {@code application/json}, the
 * canonical {@link io.veridict.chain.EntryCodec} bytes; at most 1 KB serialized), configured by
 * {@link io.veridict.chain.xrpl.XrplConfig} and signed with an {@link
 * io.veridict.chain.xrpl.XrplSigningKey}.
 *
 * <p>xrpl4j-core does the binary encoding, the signing and (as a cross-check) the hash; the
 * JSON-RPC transport ({@code XrplRpc}) is our own JDK {@code HttpClient}, so that timeouts and
 * unreachable nodes are typed errors. No xrpl4j type appears in the public API. Specs followed:
 * XRPL docs "Reliable Transaction Submission", "Transaction Common Fields" (Memos, NetworkID,
 * LastLedgerSequence), "Transaction Results" (tes/tec/tef/tel/ter/tem), "Serialization Format"
 * and the transaction-id hash prefix {@code 0x54584E00}.
 */
package io.veridict.chain.xrpl;
