/** Pure IP address recognition for redaction: no resolver, no sockets. */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  return !!m && m.slice(1).every((octet) => Number(octet) <= 255 && (octet === '0' || !octet.startsWith('0') || octet.length === 1));
}

function hexGroups(text: string): number | null {
  if (text === '') return 0;
  const parts = text.split(':');
  let count = 0;
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      if (!isIpv4(part)) return null;
      count += 2;
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) {
      count += 1;
    } else {
      return null;
    }
  }
  return count;
}

export function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  if (halves.length === 1) return hexGroups(text) === 8;
  const left = hexGroups(halves[0]);
  const right = hexGroups(halves[1]);
  if (left === null || right === null) return false;
  if (halves[0].includes('.')) return false;
  return left + right <= 7;
}

/** One spelling per IPv6 address (lowercase, every group expanded), so `2001:DB8::1` and `2001:db8:0::1` are one value. */
export function canonicalIpv6(text: string): string {
  const lower = text.toLowerCase();
  const [head, tail] = lower.includes('::') ? lower.split('::') : [lower, null];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === null ? [] : groups(tail);
  const width = (gs: string[]) => gs.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const fill = tail === null ? [] : Array<string>(8 - width(left) - width(right)).fill('0');
  return [...left, ...fill, ...right].map((g) => (g.includes('.') ? g : g.replace(/^0+(?=.)/, ''))).join(':');
}

/** Addresses that identify no machine; a report keeps them as they are so its reader still knows "local". */
export function isAnonymousAddress(text: string): boolean {
  if (text === '127.0.0.1' || text === '0.0.0.0') return true;
  const canonical = canonicalIpv6(text);
  return canonical === '0:0:0:0:0:0:0:1' || canonical === '0:0:0:0:0:0:0:0';
}
