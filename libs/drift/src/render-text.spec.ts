import { Change } from './change';
import { renderTextDiff } from './render-text';

const change = (over: Partial<Change>): Change => ({ path: 'p', kind: 'changed', before: null, after: null, category: 'apache', severity: 'warning', summary: '', ...over });

describe(renderTextDiff.name, () => {
  it('renders headers, one hunk per category, loudest first, and every kind', () => {
    const text = renderTextDiff({ label: 'web-1 snapshot 1' }, { label: 'web-1 snapshot 2' }, [
      change({ path: 'apache.build.threaded', before: true, after: false }),
      change({ path: 'apache.build.mpm', before: 'event', after: 'prefork', severity: 'critical' }),
      change({ path: 'apache.modules.modules', kind: 'added', after: { name: 'headers_module', origin: 'shared' }, category: 'modules' }),
      change({ path: 'apache.modules.modules', kind: 'reordered', before: ['a', 'b'], after: ['b', 'a'], category: 'modules' }),
      change({ path: 'python.runtime', kind: 'unknown', before: 'ok', after: 'failed: HTTP 404', category: 'wsgi' }),
      change({ path: 'packages.os.packages.zlib', kind: 'removed', before: '1.2', category: 'packages', severity: 'info' }),
    ]);
    expect(text).toBe(
      [
        '--- web-1 snapshot 1',
        '+++ web-1 snapshot 2',
        '@@ apache @@',
        '-apache.build.mpm [critical]: event',
        '+apache.build.mpm [critical]: prefork',
        '-apache.build.threaded [warning]: true',
        '+apache.build.threaded [warning]: false',
        '@@ modules @@',
        '+apache.modules.modules [warning]: {"name":"headers_module","origin":"shared"}',
        '-apache.modules.modules [warning] order: ["a","b"]',
        '+apache.modules.modules [warning] order: ["b","a"]',
        '@@ packages @@',
        '-packages.os.packages.zlib [info]: 1.2',
        '@@ wsgi @@',
        '?python.runtime [warning]: unknown (ok → failed: HTTP 404)',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing changed', () => {
    expect(renderTextDiff({ label: 'a' }, { label: 'b' }, [])).toBe('--- a\n+++ b\n(no changes)\n');
  });
});
