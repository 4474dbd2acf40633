import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LabProfile } from '../profiles/profile';
import { writeProfileTree } from './profile-tree';

interface Tree {
  dir: string;
  /** Hosts running in it. */
  users: number;
}

function contentHash(profile: LabProfile): string {
  return createHash('sha256').update(JSON.stringify(profile)).digest('hex').slice(0, 16);
}

/**
 * The temporary directory lab hosts run in. Each distinct profile is written once and every
 * host with that profile runs there: a fleet of identical hosts costs one tree, and
 * `${LAB_ROOT}` (the tree's path) reads the same on all of them, so their facts match.
 * A host that changes profile keeps its tree's path when it is the tree's only user (the tree
 * is rewritten in place), so only what the profile changed shows as drift, not the paths.
 */
export class LabWorkspace {
  /** Trees by the content hash of their profile. */
  private readonly trees = new Map<string, Tree>();
  private made = 0;
  private removed = false;

  private constructor(readonly root: string) {}

  /**
   * A fresh temporary directory, or `root`, which must not exist yet. A fixed root gives the
   * same `${LAB_ROOT}` paths, hence the same facts, from one run to the next.
   */
  static create(root?: string): LabWorkspace {
    if (root === undefined) return new LabWorkspace(mkdtempSync(join(tmpdir(), 'driftwatch-lab-')));
    mkdirSync(dirname(root), { recursive: true });
    mkdirSync(root); // throws EEXIST rather than adopt (and later delete) someone else's directory
    return new LabWorkspace(root);
  }

  /** The directory for this profile (written on first use), counted as used by one more host. */
  treeFor(profile: LabProfile): string {
    if (this.removed) throw new Error('the lab workspace has been removed');
    const hash = contentHash(profile);
    let tree = this.trees.get(hash);
    if (!tree) {
      tree = { dir: join(this.root, `${profile.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}-${++this.made}`), users: 0 };
      this.write(tree.dir, profile);
      this.trees.set(hash, tree);
    }
    tree.users++;
    return tree.dir;
  }

  /** Moves one host from the tree at `current` to `profile`'s; returns the host's tree now. */
  switchTree(current: string, profile: LabProfile): string {
    const hash = contentHash(profile);
    const entry = [...this.trees].find(([, tree]) => tree.dir === current);
    if (!entry || entry[0] === hash) return entry ? current : this.treeFor(profile);
    const [oldHash, tree] = entry;
    if (tree.users === 1 && !this.trees.has(hash)) {
      this.write(current, profile);
      this.trees.delete(oldHash);
      this.trees.set(hash, tree);
      return current;
    }
    tree.users--;
    return this.treeFor(profile);
  }

  private write(dir: string, profile: LabProfile): void {
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    writeProfileTree(staging, dir, profile);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  }

  remove(): void {
    this.removed = true;
    rmSync(this.root, { recursive: true, force: true });
  }
}
