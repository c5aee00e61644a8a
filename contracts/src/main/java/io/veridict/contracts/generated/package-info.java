/**
 * web3j wrappers of the Veridict contracts ({@code ModelRegistry}, {@code ProofAnchor}, {@code
 * EligibilityGate}, {@code LendingPool}), generated during the build by web3j codegen from the ABI
 * and bytecode that the pinned solcjs produced ({@code target/generated-sources/web3j}); never
 * edit them by hand. Each carries the contract's events ({@code *_EVENT}) and custom errors
 * ({@code *_ERROR}) as constants, which the EVM adapter uses for topics and error names.
 */
package io.veridict.contracts.generated;
