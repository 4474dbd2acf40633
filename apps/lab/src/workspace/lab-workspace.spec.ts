import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabProfile, ProfileBuilder } from '../profiles/profile';
import { LabWorkspace } from './lab-workspace';

const profile = (greeting: string): LabProfile =>
  new ProfileBuilder('demo')
    .file('etc/conf/main.conf', 'Include ${LAB_ROOT}/etc/conf/extra.conf\n')
    .command('tool', '-v', { stdout: `${greeting}\n`, stderr: 'warning first\n' })
    .command('tool', '--where', { stdout: '${LAB_ROOT}/etc/conf/main.conf\n' })
    .command('tool', 'fail*', { stderr: 'no\n', exitCode: 4 })
    .build();

function runStub(dir: string, ...args: string[]) {
  const run = spawnSync(join(dir, 'bin', 'tool'), args, { encoding: 'utf8' });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

describe(LabWorkspace.name, () => {
  let sut: LabWorkspace;

  beforeEach(() => {
    sut = LabWorkspace.create();
  });
  afterEach(() => sut.remove());

  it('writes each distinct profile once and reuses its tree', () => {
    const a = sut.treeFor(profile('hello'));
    expect(sut.treeFor(profile('hello'))).toBe(a);
    const b = sut.treeFor(profile('changed'));
    expect(b).not.toBe(a);
    expect(a.startsWith(sut.root)).toBe(true);
  });

  it('keeps the path of a host that changes profile alone, so only the profile change shows', () => {
    const alone = sut.treeFor(profile('hello'));
    const switched = sut.switchTree(alone, profile('changed'));
    expect(switched).toBe(alone);
    expect(runStub(switched, '-v').stdout).toBe('changed\n');
    expect(sut.switchTree(switched, profile('changed'))).toBe(switched);
  });

  it('moves a host to another tree when others still run in its tree', () => {
    const shared = sut.treeFor(profile('hello'));
    expect(sut.treeFor(profile('hello'))).toBe(shared);
    const moved = sut.switchTree(shared, profile('changed'));
    expect(moved).not.toBe(shared);
    expect(runStub(shared, '-v').stdout).toBe('hello\n');
    expect(runStub(moved, '-v').stdout).toBe('changed\n');
  });

  it('makes executable stubs that print the stored outputs, stderr and exit code included', () => {
    const dir = sut.treeFor(profile('hello'));
    expect(statSync(join(dir, 'bin', 'tool')).mode & 0o111).toBe(0o111);
    expect(runStub(dir, '-v')).toEqual({ stdout: 'hello\n', stderr: 'warning first\n', status: 0 });
    expect(runStub(dir, 'failing', 'now')).toEqual({ stdout: '', stderr: 'no\n', status: 4 });
    expect(runStub(dir, '-x')).toEqual({ stdout: '', stderr: 'tool: the lab profile has no output for arguments: -x\n', status: 1 });
  });

  it('replaces ${LAB_ROOT} with the tree path in outputs and files', () => {
    const dir = sut.treeFor(profile('hello'));
    expect(runStub(dir, '--where').stdout).toBe(`${dir}/etc/conf/main.conf\n`);
    expect(readFileSync(join(dir, 'etc/conf/main.conf'), 'utf8')).toBe(`Include ${dir}/etc/conf/extra.conf\n`);
  });

  it('refuses profiles that would escape the tree or clobber the stubs', () => {
    const bad = (files: Record<string, string>, commands: LabProfile['commands'] = {}) => () => sut.treeFor({ name: 'bad', files, commands });
    expect(bad({ '../outside': 'x' })).toThrow('invalid file path');
    expect(bad({ '/etc/passwd': 'x' })).toThrow('invalid file path');
    expect(bad({ 'bin/tool': 'x' })).toThrow('invalid file path');
    expect(bad({}, { '../tool': [{ args: '*' }] })).toThrow('invalid command name');
    expect(bad({}, { tool: [{ args: '*', exitCode: 300 }] })).toThrow('exit code 300');
  });

  it('uses a given root only if it does not exist yet, and removes it', () => {
    const parent = mkdtempSync(join(tmpdir(), 'driftwatch-root-'));
    try {
      const root = join(parent, 'lab');
      const fixed = LabWorkspace.create(root);
      expect(() => LabWorkspace.create(root)).toThrow('EEXIST');
      expect(fixed.treeFor(profile('x')).startsWith(root)).toBe(true);
      fixed.remove();
      expect(existsSync(root)).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
