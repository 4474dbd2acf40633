import { ApacheBuildFacts, ApacheModulesFacts, buildProbeScript, CHECKS, evaluate, MarkerClock, parseProbeOutput } from '@driftwatch/checks';
import { SshTransport } from '@driftwatch/ssh';
import { randomBytes } from 'node:crypto';
import { LabHost } from './host/lab-host';
import { ClientKey, generateClientKey } from './keys/client-key';
import { centos7HttpdProfile } from './profiles/centos-7.profile';
import { debian12EventProfile, debian12NoApacheProfile, debian12PreforkEmbeddedProfile } from './profiles/debian-12.profile';

import { LabProfile } from './profiles/profile';
import { LIMITS, targetFor } from './testing/transport-kit';

jest.setTimeout(30_000); // real SSH handshakes and processes; generous for loaded CI machines

/** The real probe, through the real transport, against lab hosts: what a scan does. */
describe('the probe on lab hosts', () => {
  const transport = new SshTransport();
  let key: ClientKey;
  let host: LabHost;

  beforeAll(async () => {
    key = generateClientKey();
    host = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
  });
  afterAll(async () => {
    await host.stop();
    key.dispose();
  });

  async function scan(profile: LabProfile) {
    host.setProfile(profile);
    const nonce = randomBytes(16).toString('hex');
    const script = buildProbeScript(CHECKS, nonce);
    const clock = new MarkerClock(nonce);
    const result = await transport.exec(targetFor(host, key), 'sh -s', script.text, LIMITS, { onStdout: (chunk) => clock.observe(chunk) });
    expect(result).toMatchObject({ outcome: 'ok', exitCode: 0 });
    const parsed = parseProbeOutput(
      { stdout: result.stdout.toString(), stderr: result.stderr.toString(), stdoutTruncated: result.stdoutTruncated, stderrTruncated: result.stderrTruncated, markerTimes: clock.times },
      nonce,
      script.checkIds,
    );
    // Every section framed on both streams. (`complete` also wants a `done` marker on stderr,
    // which the probe does not print yet.)
    expect(parsed.sections.filter((s) => s.truncated).map((s) => s.id)).toEqual([]);
    const { results } = evaluate(parsed.sections);
    return {
      build: results['apache.build'],
      modules: results['apache.modules'],
      buildFacts: results['apache.build'].facts as ApacheBuildFacts,
      moduleFacts: results['apache.modules'].facts as ApacheModulesFacts,
    };
  }

  it('reads the Debian event host: event MPM, mod_wsgi loaded', async () => {
    const { buildFacts, moduleFacts } = await scan(debian12EventProfile());
    expect(buildFacts).toMatchObject({ version: '2.4.71', mpm: 'event', threaded: true });
    expect(moduleFacts.wsgiLoaded).toBe(true);
  });

  it('reads the Debian prefork host: prefork MPM, headers_module added', async () => {
    const { buildFacts, moduleFacts } = await scan(debian12PreforkEmbeddedProfile());
    expect(buildFacts.mpm).toBe('prefork');
    expect(moduleFacts.modules.map((m) => m.name)).toContain('headers_module');
  });

  it('reads the CentOS host through httpd', async () => {
    const { buildFacts, moduleFacts } = await scan(centos7HttpdProfile());
    expect(buildFacts).toMatchObject({ version: '2.4.6', mpm: 'prefork' });
    expect(moduleFacts.wsgiLoaded).toBe(true);
  });

  it('finds no Apache on the host without one', async () => {
    const { build, modules } = await scan(debian12NoApacheProfile());
    expect(build.status).toBe('unavailable');
    expect(modules.status).toBe('unavailable');
  });
});
