import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LabProfile } from '../profiles/profile';
import { writeProfileTree } from './profile-tree';

/**
 * The temporary directory lab hosts run in. Each distinct profile is written once, into a
 * directory named after its content, and every host with that profile runs there: a fleet of
 * identical hosts costs one tree, and `${LAB_ROOT}` (the tree's path) reads the same on all of
 * them, so their facts match. Trees are never changed once written; a host that changes
 * profile just moves to another tree.
 */
export class LabWorkspace {
  private readonly written = new Set<string>();
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

  /** The directory for this profile, written on first use. */
  treeFor(profile: LabProfile): string {
    if (this.removed) throw new Error('the lab workspace has been removed');
    const hash = createHash('sha256').update(JSON.stringify(profile)).digest('hex').slice(0, 16);
    const dir = join(this.root, `${profile.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}-${hash}`);
    if (!this.written.has(dir)) {
      const staging = `${dir}.partial`;
      rmSync(staging, { recursive: true, force: true });
      writeProfileTree(staging, dir, profile);
      renameSync(staging, dir);
      this.written.add(dir);
    }
    return dir;
  }

  remove(): void {
    this.removed = true;
    rmSync(this.root, { recursive: true, force: true });
  }
}
