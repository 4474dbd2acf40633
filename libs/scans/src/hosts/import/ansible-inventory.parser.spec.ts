import { parseAnsibleInventory } from './ansible-inventory.parser';

const INI = `
bare.example.com

[web]
web[01:02].example.com ansible_user=deploy
web-special ansible_host=10.0.0.7 ansible_port=2222 ansible_ssh_private_key_file=/keys/special

[db]
db1 ansible_host=10.0.1.1   # primary

[eu:children]
web
db

[eu:vars]
ansible_user=ops
ansible_ssh_private_key_file="/keys/eu"

[all:vars]
ansible_port=22
`;

const YAML = `
all:
  vars:
    ansible_user: ops
  hosts:
    bare.example.com:
  children:
    eu:
      vars:
        ansible_ssh_private_key_file: /keys/eu
      children:
        web:
          hosts:
            web[01:02].example.com:
              ansible_user: deploy
            web-special:
              ansible_host: 10.0.0.7
              ansible_port: 2222
              ansible_ssh_private_key_file: /keys/special
        db:
          hosts:
            db1:
              ansible_host: 10.0.1.1
`;

describe(parseAnsibleInventory.name, () => {
  const expected = [
    { name: 'bare.example.com', address: 'bare.example.com', labels: [] },
    { name: 'web01.example.com', address: 'web01.example.com', username: 'deploy', privateKeyPath: '/keys/eu', labels: ['eu', 'web'] },
    { name: 'web02.example.com', address: 'web02.example.com', username: 'deploy', privateKeyPath: '/keys/eu', labels: ['eu', 'web'] },
    { name: 'web-special', address: '10.0.0.7', port: 2222, username: 'ops', privateKeyPath: '/keys/special', labels: ['eu', 'web'] },
    { name: 'db1', address: '10.0.1.1', username: 'ops', privateKeyPath: '/keys/eu', labels: ['db', 'eu'] },
  ];

  it('reads an INI inventory: groups and parent groups as labels, host vars over group vars', () => {
    const { hosts, warnings } = parseAnsibleInventory(INI);
    expect(warnings).toEqual([]);
    const withPort = (h: (typeof expected)[number]) => ({ port: 22, ...h });
    expect(hosts).toEqual(expected.map(withPort));
  });

  it('reads the same inventory written in YAML', () => {
    const { hosts, warnings } = parseAnsibleInventory(YAML);
    expect(warnings).toEqual([]);
    expect(hosts.map((h) => ({ ...h, username: h.username }))).toEqual(
      expected.map((h) => ({ ...h, username: h.username ?? 'ops' })),
    );
  });

  it('leaves out a host with a port that is not a number, saying so', () => {
    const { hosts, warnings } = parseAnsibleInventory('[web]\nw1 ansible_port=ssh\nw2\n');
    expect(hosts.map((h) => h.name)).toEqual(['w2']);
    expect(warnings).toEqual(['w1: ansible_port ssh is not a number, left out']);
  });
});
