/**
 * Implementation helpers shared by the ledger adapters; not part of the chain-adapter API and free
 * to change.
 */
package io.veridict.chain.internal;
