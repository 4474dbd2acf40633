import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadConfig } from '@driftwatch/config';
import { ScanRunsService } from '@driftwatch/scans';
import { createCollectorApp } from '../../apps/collector/src/bootstrap';
import { CollectorHarness } from '../support/collector-harness';
import { RegisteredLab, registerLabHosts } from '../support/lab-hosts';
import { createTestDatabase, TestDatabase } from '../support/test-database';

interface LogLine {
  level: string;
  message: string;
  context?: string;
  runId?: number | null;
  host?: string;
}

describe('structured logs of scan work', () => {
  // Scans of lab hosts are quick, but the machine running the suite may be busy.
  jest.setTimeout(30_000);

  let db: TestDatabase;
  let app: INestApplication;
  let lab: RegisteredLab;
  let written: string[];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    written = [];
    for (const stream of [process.stdout, process.stderr]) {
      spies.push(jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(chunk.toString()), true)));
    }
    db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url, SSH_CONNECT_TIMEOUT_MS: '3000', SCAN_SCHEDULE: 'off', LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
    app = await createCollectorApp(config);
    await app.init();
    const harness = { app, http: () => request(app.getHttpServer()) } as unknown as CollectorHarness;
    lab = await registerLabHosts(harness, 2);
  }, 60_000);

  afterAll(async () => {
    spies.forEach((s) => s.mockRestore());
    await lab?.stop();
    await app?.close();
    await db?.cleanup();
  });

  const logLines = (): LogLine[] =>
    written
      .join('')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LogLine);

  it('writes JSON lines, and every line of scan work names its run and host', async () => {
    const run = (await request(app.getHttpServer()).post('/api/v1/scans').send({}).expect(202)).body;
    await app.get(ScanRunsService).idle();
    await request(app.getHttpServer()).post('/api/v1/hosts/gone-1/scan').expect(200);

    const lines = logLines(); // every line written is JSON, or this throws
    const scanWork = lines.filter((l) => l.context === 'ScanService' || l.context === 'ScanRunsService');
    expect(scanWork.length).toBeGreaterThanOrEqual(5);
    for (const line of scanWork) {
      expect(line).toHaveProperty('runId');
      expect(line.host).toEqual(expect.stringMatching(/^(lab-\d|gone-1)$/));
    }
    const ofRun = scanWork.filter((l) => l.runId === run.id && l.message.startsWith('scanned: '));
    expect(ofRun.map((l) => l.host).sort()).toEqual(['gone-1', 'lab-1', 'lab-2']);
    expect(scanWork).toContainEqual(expect.objectContaining({ level: 'warn', context: 'ScanService', runId: run.id, host: 'gone-1' }));
    // The scan asked for one host outside any run says so.
    expect(scanWork).toContainEqual(expect.objectContaining({ level: 'warn', context: 'ScanService', runId: null, host: 'gone-1' }));
    // Lines outside scan work carry no scan.
    const startup = lines.filter((l) => l.context === 'RoutesResolver');
    expect(startup.length).toBeGreaterThan(0);
    expect(startup.every((l) => l.host === undefined && l.runId === undefined)).toBe(true);
  });
});
