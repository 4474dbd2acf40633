import { buildProbeScript, CHECKS, evaluate, parseProbeOutput } from '@driftwatch/checks';
import { SshTransport } from '@driftwatch/ssh';
import { LabHost } from './host/lab-host';
import { generateClientKey } from './keys/client-key';
import { debian12EventProfile, debian12NoApacheProfile, debian12PreforkEmbeddedProfile } from './profiles/debian-12.profile';
import { centos7HttpdProfile } from './profiles/centos-7.profile';

import { LIMITS, targetFor } from './testing/transport-kit';
test('debug', async () => {
  const key = generateClientKey();
  const host = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
  for (const p of [debian12EventProfile(), debian12PreforkEmbeddedProfile(), centos7HttpdProfile(), debian12NoApacheProfile()]) {
    host.setProfile(p);
    const script = buildProbeScript(CHECKS, 'abcdefabcdefabcdef', { diagnosticUrl: 'http://127.0.0.1:8080/__diag' });
    const r = await new SshTransport().exec(targetFor(host, key), 'sh -s', script.text, LIMITS);
    const parsed = parseProbeOutput({ stdout: r.stdout.toString(), stderr: r.stderr.toString() }, 'abcdefabcdefabcdef', script.checkIds);
    const { results, findings } = evaluate(parsed.sections);
    console.log(p.name + '\n' + Object.entries(results).map(([id, res]) => `${id}: ${res.status} ${res.reason ?? ''} ${JSON.stringify(res.facts)?.slice(0, 300)}`).join('\n') + '\n' + findings.map(f => f.id).join(', '));
  }
  await host.stop(); key.dispose();
});
