import { apacheWords } from './apache-words';

describe(apacheWords.name, () => {
  it.each([
    ['WSGIDaemonProcess app processes=2 threads=15', ['WSGIDaemonProcess', 'app', 'processes=2', 'threads=15']],
    ['  \tLoadModule  wsgi_module\t"/usr/lib/apache2/modules/mod_wsgi.so"  ', ['LoadModule', 'wsgi_module', '/usr/lib/apache2/modules/mod_wsgi.so']],
    [`WSGIScriptAlias / '/srv/my app/app.wsgi'`, ['WSGIScriptAlias', '/', '/srv/my app/app.wsgi']],
    ['Say "a \\"quoted\\" word" \\"bare', ['Say', 'a "quoted" word', '\\"bare']],
    ['Path "C:\\\\Program Files\\\\x" "\\n stays"', ['Path', 'C:\\Program Files\\x', '\\n stays']],
    ['"a"b \'c\'"d"', ['a', 'b', 'c', 'd']],
    ['"unterminated word', ['unterminated word']],
    ['Trailing "\\', ['Trailing', '\\']],
    ['"" \'\'', ['', '']],
    ['', []],
    ['   ', []],
  ])('%j', (line, words) => {
    expect(apacheWords(line)).toEqual(words);
  });
});
