import { fingerprintOf } from './fingerprint';

/** Public keys with the fingerprints `ssh-keygen -lf` printed for them. */
const VECTORS = [
  {
    line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIdAhIILqgCah7PEK/HzGwNrVwLEz9CePU2tqqUkJ7/P vector',
    fingerprint: 'SHA256:+axn8F5qPozpZeU7zCMHuKaZAaRbYNH6IJgeYjZVXp8',
  },
  {
    line: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDPEbCcnQjvx41Qv+qAZ4nxwj3aUJYqASwtqIr2g0eot7EqeEfCl6WrIDWLGN38jRP00WKj2gFlTLwabV2C3DvbXBSNoX89pQo2xKmAMpSNQMTwXKWJKyiHzgoRStkgIoDz3GojVqbt8NuMIXy0INr2fWvw5SAPjwHnUcnd8cbTnTFxT06GkzKAcY6jkKoReU5xO/RWtM/TFVwB6Xfh0eOVq9JEn9AmbPVfVH98KA3zw4Z+DYMKn2VRhmwpsaDajDp7pm0e+oEvj3zzkRKf5X6Z4UmlHiQxzspZF7mh0QcEESG1nk9i1X0Isf3DO0QrdSwMZg/xdngSalDYg31A5FRp vector',
    fingerprint: 'SHA256:+fYJXprGAKq1Mwji91p8bbZWIpFX6D7+d4wRBR7xqD4',
  },
];

describe(fingerprintOf.name, () => {
  it.each(VECTORS)('matches ssh-keygen -lf for $fingerprint', ({ line, fingerprint }) => {
    const blob = Buffer.from(line.split(' ')[1], 'base64');
    expect(fingerprintOf(blob)).toBe(fingerprint);
  });

  it('never ends in base64 padding', () => {
    for (let n = 0; n < 64; n++) expect(fingerprintOf(Buffer.alloc(n, n))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
