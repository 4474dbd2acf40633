import { createHash } from 'node:crypto';
import { debian12EventProfile, withModule } from '@driftwatch/lab';
import { DriftEventEntity, HostStateEntity, openDataSource } from '@driftwatch/persistence';
import { useLabHost } from '../support/lab-hosts';
import { cli, useCliDatabase } from '../support/run-cli';

describe('driftwatch reparse and drift (CLI)', () => {
  const database = useCliDatabase();
  const { lab, key } = useLabHost();

  it('shows a host’s drift, then re-derives states an older parser got wrong and recomputes their drift', async () => {
    expect((await cli('hosts', 'add', 'web-1', '--address', '127.0.0.1', '--port', String(lab().port), '--user', 'ops', '--key', key().path)).code).toBe(0);
    expect((await cli('scan', 'web-1')).code).toBe(0);
    expect((await cli('drift', 'web-1')).out).toBe('web-1: no drift\n');
    lab().setProfile(withModule(debian12EventProfile(), 'headers'));
    expect((await cli('scan', 'web-1')).code).toBe(0);

    const drift = await cli('drift', 'web-1');
    expect(drift.code).toBe(0);
    expect(drift.out).toMatch(/warning\s+modules\s+modules: \+ headers_module\s+\d+ → \d+/);
    const [event] = JSON.parse((await cli('drift', 'web-1', '--json')).out).items;
    expect(event).toMatchObject({ path: 'apache.modules.modules', kind: 'added', severity: 'warning' });
    expect(JSON.parse((await cli('drift', 'web-1', '--json', '--since', '2999-01-01T00:00:00Z')).out).items).toEqual([]);

    // An older parser that missed headers_module stored the second state like the first.
    const ds = await openDataSource(database().url);
    try {
      const states = ds.getRepository(HostStateEntity);
      const [first, second] = await states.find({ order: { id: 'ASC' } });
      const content = JSON.parse(second.content);
      content.checks['apache.modules'].facts.modules = content.checks['apache.modules'].facts.modules.filter((m: { name: string }) => m.name !== 'headers_module');
      const old = JSON.stringify(content);
      await states.update({ id: second.id }, { content: old, hash: createHash('sha256').update(old).digest('hex') });
      await ds.getRepository(DriftEventEntity).delete({ toStateId: second.id });
      expect(JSON.parse((await cli('drift', 'web-1', '--json')).out).items).toEqual([]);

      const reparsed = await cli('reparse', '--json');
      expect(reparsed.code).toBe(0);
      expect(JSON.parse(reparsed.out)).toEqual({
        hosts: [{ host: 'web-1', states: 2, changed: [{ id: second.id, hashBefore: expect.any(String), hashAfter: second.hash }], skipped: [], driftEvents: 1 }],
        changedStates: 1,
      });
      expect(await states.findOneBy({ id: second.id })).toMatchObject({ hash: second.hash, content: second.content });
      expect(await states.findOneBy({ id: first.id })).toMatchObject({ hash: first.hash, content: first.content });
      expect(JSON.parse((await cli('drift', 'web-1', '--json')).out).items).toEqual([
        expect.objectContaining({ path: 'apache.modules.modules', kind: 'added', after: { name: 'headers_module', origin: 'shared' }, fromSnapshotId: first.id, toSnapshotId: second.id, detectedAt: second.firstSeenAt }),
      ]);
    } finally {
      await ds.destroy();
    }

    const again = await cli('reparse', '--host', 'web-1');
    expect(again).toMatchObject({ code: 0, out: 'web-1: 2 states unchanged\n0 states changed\n' });
    const unknown = await cli('reparse', '--host', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no host named "nope"/);
  });
});
