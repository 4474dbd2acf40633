import { sudoRefusal } from './sudo-refusal';

describe(sudoRefusal.name, () => {
  it.each([
    ['sudo: a password is required\n', 'sudo requires a password'],
    ['sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\n', 'sudo requires a password'],
    ['probe is not in the sudoers file.  This incident will be reported.\n', 'the login user may not use sudo'],
    ['sh: 1: sudo: not found\n', 'sudo is not installed on the host'],
  ])('%j → %s', (stderr, reason) => {
    expect(sudoRefusal(stderr, 1, false)).toBe(reason);
  });

  it('says nothing when the probe ran or sudo succeeded', () => {
    expect(sudoRefusal('sudo: a password is required\n', 1, true)).toBeNull();
    expect(sudoRefusal('', 0, false)).toBeNull();
    expect(sudoRefusal('something else', 2, false)).toBeNull();
  });
});
