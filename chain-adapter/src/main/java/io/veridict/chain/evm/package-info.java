/**
 * The EVM implementation of the ledger port: {@link io.veridict.chain.evm.EvmLedgerAnchor} (start
 * reading there), its {@link io.veridict.chain.evm.EvmConfig}, and {@link
 * io.veridict.chain.evm.EvmDeployer} for the Veridict contracts. web3j is used for signing, RLP
 * and the ABI; the JSON-RPC transport is a small JDK {@code HttpClient} client so that every
 * transport failure becomes a typed {@link io.veridict.chain.LedgerException}. No web3j type
 * appears in a public signature.
 */
package io.veridict.chain.evm;
