// Writes the Merkle golden vectors shared by the Java (MerkleBatchKatTest) and Solidity tests.
// Everything is computed by the real @openzeppelin/merkle-tree (version pinned in package.json and
// package-lock.json); the inputs are derived deterministically from labels with SHA-256, so
// re-running this script reproduces the file byte for byte.
//
//   cd chain-adapter/src/test/node && npm ci && npm run golden
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.argv[2] ?? '../resources/merkle-golden.json';
const ozVersion = JSON.parse(
  readFileSync(new URL('./node_modules/@openzeppelin/merkle-tree/package.json', import.meta.url)),
).version;

const h = label => '0x' + createHash('sha256').update(label).digest('hex');
const addr = label => '0x' + createHash('sha256').update(label).digest('hex').slice(0, 40);

// The Veridict proof record leaf: see MerkleBatch / ProofRecord.
const RECORD = ['bytes32', 'bytes32', 'bytes32', 'bytes32', 'bytes32', 'address'];
const record = (c, i) => [
  h(`${c}/${i}/bundleDigest`),
  h(`${c}/${i}/modelCommitment`),
  h(`${c}/${i}/inputCommitment`),
  h(`${c}/${i}/airId`),
  h(`${c}/${i}/policyId`),
  addr(`${c}/${i}/subject`),
];

const cases = [];
function addCase(name, leafEncoding, values, multiproofIndices) {
  const tree = StandardMerkleTree.of(values, leafEncoding);
  const leaves = values.map((v, i) => {
    const proof = tree.getProof(i);
    const treeIndex = tree.values[i].treeIndex;
    if (!StandardMerkleTree.verify(tree.root, leafEncoding, v, proof)) throw new Error('self-check');
    return { value: v, leafHash: tree.tree[treeIndex], treeIndex, proof };
  });
  const c = { name, leafEncoding, root: tree.root, tree: tree.tree, leaves };
  if (multiproofIndices) {
    const mp = tree.getMultiProof(multiproofIndices);
    if (!tree.verifyMultiProof(mp)) throw new Error('multiproof self-check');
    c.multiProof = {
      indices: multiproofIndices,
      leafHashes: mp.leaves.map(v => tree.leafHash(v)),
      proof: mp.proof,
      proofFlags: mp.proofFlags,
    };
  }
  cases.push(c);
}

for (const n of [1, 2, 3, 4, 5, 7, 8, 13, 16, 33]) {
  const values = Array.from({ length: n }, (_, i) => record(`records-${n}`, i));
  const mp = n >= 3 ? [0, Math.floor(n / 2), n - 1] : undefined;
  addCase(`proof-records-${n}`, RECORD, values, mp);
}
// The classic OpenZeppelin example encoding, with uint256 values across the range.
addCase('address-uint256', ['address', 'uint256'], [
  ['0x1111111111111111111111111111111111111111', '5000000000000000000'],
  ['0x2222222222222222222222222222222222222222', '2500000000000000000'],
  ['0x3333333333333333333333333333333333333333', '0'],
  ['0xffffffffffffffffffffffffffffffffffffffff',
    '115792089237316195423570985008687907853269984665640564039457584007913129639935'],
], [1, 3]);
addCase('bytes32-bool-uint64', ['bytes32', 'bool', 'uint64'], [
  [h('a'), true, '18446744073709551615'],
  [h('b'), false, '0'],
  [h('c'), true, '1'],
]);
// Duplicate values: OpenZeppelin keeps both (stable sort), and both get proofs.
addCase('duplicates', ['bytes32'], [[h('dup')], [h('other')], [h('dup')]]);

const doc = {
  description:
    'OpenZeppelin StandardMerkleTree golden vectors: leaf = keccak256(keccak256(abi.encode(values))), '
    + 'sorted-pair node hash, leaves sorted by hash. Check with MerkleProof.verify(proof, root, leafHash) '
    + 'and MerkleProof.multiProofVerify(proof, proofFlags, root, leafHashes).',
  generator: 'chain-adapter/src/test/node/golden.mjs',
  openzeppelinMerkleTree: ozVersion,
  cases,
};
writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
console.log(`wrote ${cases.length} cases to ${out}`);
