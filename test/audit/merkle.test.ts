/**
 * The tree hashing and proofs of RFC 9162 §2.1, against the Certificate Transparency test vectors
 * (the eight leaves and roots used by transparency-dev/merkle and the RFC 6962 reference code),
 * and every inclusion and consistency proof of trees up to 40 leaves checked both ways.
 */
import { EMPTY_ROOT, NodeKey, TreeBuilder, consistencyProof, inclusionProof, leafHash, nodeHash, rootHash, verifyConsistency, verifyInclusion } from '../../src/audit/tlog/merkle';

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** MTH straight from the RFC's definition, for comparison. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** A tree's complete subtrees, as the database stores them. */
function stored(leaves: Buffer[]) {
  const nodes = new Map<string, Buffer>();
  const tree = new TreeBuilder(0, [], (key, hash) => nodes.set(`${key.level}/${key.index}`, hash));
  for (const l of leaves) tree.push(l);
  return { tree, node: (k: NodeKey) => nodes.get(`${k.level}/${k.index}`)! };
}

test('the roots of the test vectors', () => {
  const hashes = LEAVES.map((l) => leafHash(l));
  const { tree, node } = stored([]);
  hashes.forEach((h, i) => {
    tree.push(h);
    expect(tree.root().toString('hex')).toBe(ROOTS[i]);
  });
  const all = stored(hashes);
  for (let n = 1; n <= 8; n++) expect(rootHash(n, all.node).toString('hex')).toBe(ROOTS[n - 1]);
  expect(rootHash(0, node).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('a tree continued from its stored right edge has the same nodes and root', () => {
  const hashes = Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const whole = stored(hashes);
  for (const size of [0, 1, 5, 16, 23]) {
    const edge: Buffer[] = [];
    for (const k of TreeBuilder.edgeKeys(size)) edge[k.level] = whole.node(k);
    const resumed = new TreeBuilder(size, edge);
    for (const h of hashes.slice(size)) resumed.push(h);
    expect(resumed.root()).toEqual(mth(hashes));
  }
});

test('every inclusion and consistency proof up to 40 leaves verifies, and a wrong one does not', () => {
  const hashes = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
  const { node } = stored(hashes);
  for (let n = 1; n <= hashes.length; n++) {
    const root = mth(hashes.slice(0, n));
    expect(rootHash(n, node)).toEqual(root);
    for (let m = 0; m < n; m++) {
      const path = inclusionProof(m, n, node);
      expect(verifyInclusion(m, n, hashes[m], path, root)).toBe(true);
      if (n > 1) expect(verifyInclusion(m, n, hashes[(m + 1) % n], path, root)).toBe(false);
      if (path.length) expect(verifyInclusion(m, n, hashes[m], path.slice(1), root)).toBe(false);
    }
    for (let m = 0; m <= n; m++) {
      const proof = consistencyProof(m, n, node);
      const old = mth(hashes.slice(0, m));
      expect(verifyConsistency(m, n, old, root, proof)).toBe(true);
      if (m > 0 && m < n) {
        expect(verifyConsistency(m, n, leafHash(Buffer.from('forged')), root, proof)).toBe(false);
        expect(verifyConsistency(m, n, old, root, proof.slice(0, -1))).toBe(false);
      }
    }
  }
});
