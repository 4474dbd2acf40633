import { CommandCase } from './profile';

/**
 * `uname` answers for a Linux host. Kernel releases were not captured with the fixtures; the
 * profiles use one typical of their distribution release.
 */
export function unameCases(release: string, machine = 'x86_64'): CommandCase[] {
  return [
    { args: '|-s', stdout: 'Linux\n' },
    { args: '-r', stdout: `${release}\n` },
    { args: '-m', stdout: `${machine}\n` },
    { args: '-sr|-s -r', stdout: `Linux ${release}\n` },
    { args: '-srm|-s -r -m', stdout: `Linux ${release} ${machine}\n` },
  ];
}

/**
 * curl on a host with no diagnostic endpoint (as the machine's own curl would say for the
 * fixtures' 127.0.0.1:8080), so the answer never depends on what listens on the machine.
 */
export const CURL_REFUSED: CommandCase = {
  args: '*',
  stderr: "curl: (7) Failed to connect to 127.0.0.1 port 8080 after 0 ms: Couldn't connect to server\n",
  exitCode: 7,
};
