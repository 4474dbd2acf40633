import { parseSshConfig } from './ssh-config.parser';

const CONFIG = `
# defaults before any Host apply everywhere
User deploy

Host bastion
    HostName bastion.example.net
    Port 2202
    IdentityFile ~/.ssh/id_bastion

Host web1 web2
    HostName %h.internal
    ProxyJump bastion
    IdentityFile=/etc/driftwatch/id_web

Host web2
    User other
    Port 2222

Host db
    HostName 10.0.0.9
    ProxyJump ops@jump1:2222,bastion

Host *.example.com !skip.example.com
    User ignored-pattern-user

Host *
    Port 22
    IdentityFile ~/.ssh/id_default

Match host web*
    User never

Include conf.d/*
`;

describe(parseSshConfig.name, () => {
  const { hosts, warnings } = parseSshConfig(CONFIG, '/home/ops');

  it('turns every concrete alias into a host, first value winning per keyword', () => {
    expect(hosts).toEqual([
      { name: 'bastion', address: 'bastion.example.net', port: 2202, username: 'deploy', privateKeyPath: '/home/ops/.ssh/id_bastion', labels: [] },
      { name: 'web1', address: 'web1.internal', port: 22, username: 'deploy', privateKeyPath: '/etc/driftwatch/id_web', jumpHost: 'bastion', labels: [] },
      { name: 'web2', address: 'web2.internal', port: 2222, username: 'deploy', privateKeyPath: '/etc/driftwatch/id_web', jumpHost: 'bastion', labels: [] },
      { name: 'db', address: '10.0.0.9', port: 22, username: 'deploy', privateKeyPath: '/home/ops/.ssh/id_default', jumpHost: 'bastion', labels: [] },
    ]);
  });

  it('says what it did not follow', () => {
    expect(warnings).toEqual([
      expect.stringMatching(/Match blocks are not followed/),
      expect.stringMatching(/Include conf\.d\/\* is not followed/),
      'db: ProxyJump ops@jump1:2222,bastion chains several hosts; only the last, bastion, is kept',
    ]);
  });

  it('handles an empty file', () => {
    expect(parseSshConfig('', '/root')).toEqual({ hosts: [], warnings: [] });
  });
});
