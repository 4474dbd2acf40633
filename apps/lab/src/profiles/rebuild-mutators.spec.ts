import { debian12EventProfile } from './debian-12.profile';
import { withKernel, withRebuild } from './mutators';
import { LabProfile } from './profile';

const stdout = (profile: LabProfile, command: string, args: string) => profile.commands[command]?.find((c) => c.args === args)?.stdout ?? '';

describe('rebuild and kernel mutators', () => {
  const event = debian12EventProfile();

  it('withRebuild changes only the Apache and Python build dates', () => {
    const rebuilt = withRebuild(event, new Date('2027-03-04T05:06:07Z'));
    expect(stdout(rebuilt, 'apache2ctl', '-V')).toContain('Server built:   2027-03-04T05:06:07');
    expect(stdout(rebuilt, 'apache2ctl', '-V')).toContain('Server version: Apache/2.4.71 (Debian)');
    expect(stdout(rebuilt, 'apache2ctl', '-v')).toContain('2027-03-04T05:06:07');
    expect(stdout(rebuilt, 'curl', '*/__diag*')).toContain("3.11.2 (main, Mar 04 2027, 05:06:07) [GCC 12.2.0]");
    expect(stdout(rebuilt, 'apache2ctl', '-M|*DUMP_MODULES*')).toBe(stdout(event, 'apache2ctl', '-M|*DUMP_MODULES*'));
  });

  it('withKernel changes every uname answer naming the release', () => {
    const booted = withKernel(event, '6.1.0-31-amd64');
    expect(stdout(booted, 'uname', '-r')).toBe('6.1.0-31-amd64\n');
    expect(stdout(booted, 'uname', '-srm|-s -r -m')).toBe('Linux 6.1.0-31-amd64 x86_64\n');
    expect(stdout(booted, 'uname', '|-s')).toBe('Linux\n');
  });
});
