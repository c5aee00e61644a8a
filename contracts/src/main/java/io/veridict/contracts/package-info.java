/**
 * Veridict's Solidity contracts on the Java side: the web3j wrappers generated during the build
 * (in {@code io.veridict.contracts.generated}, from the ABI and bytecode of the pinned solc
 * compile, both also in the jar under {@code io/veridict/contracts/solidity/}) and {@link
 * io.veridict.contracts.DevNode}, a launcher for the pinned npm anvil.
 *
 * <p>The Solidity sources are in {@code contracts/src/main/solidity}; see {@code
 * contracts/README.md}.
 */
package io.veridict.contracts;
