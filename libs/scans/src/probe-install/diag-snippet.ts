/** URL path the diagnostic endpoint is mounted at unless told otherwise. */
export const DEFAULT_DIAG_URL_PATH = '/__driftwatch/diag';

/**
 * The Apache configuration that serves the diagnostic WSGI script to local requests only.
 * The script runs in the server's default (embedded or configured) process group, so what it
 * reports is what an application mounted the same way sees.
 */
export function diagSnippet(scriptPath: string, urlPath: string = DEFAULT_DIAG_URL_PATH): string {
  const dir = scriptPath.slice(0, scriptPath.lastIndexOf('/')) || '/';
  const file = scriptPath.slice(scriptPath.lastIndexOf('/') + 1);
  return [
    '# driftwatch diagnostic endpoint: answers requests from this host only',
    `WSGIScriptAlias ${urlPath} ${scriptPath}`,
    `<Directory ${dir}>`,
    `    <Files ${file}>`,
    '        Require local',
    '    </Files>',
    '</Directory>',
    `<Location ${urlPath}>`,
    '    Require local',
    '</Location>',
    '',
  ].join('\n');
}
