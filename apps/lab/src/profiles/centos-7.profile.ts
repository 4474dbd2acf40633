import { bothDumps, rootServerRoot, syncListedFiles } from './apache-includes';
import { shortVersion } from './build-info';
import { CURL_REFUSED, unameCases } from './common-commands';
import { FixtureDir } from './fixtures';
import { compiledInModules, listedModules } from './module-list';
import { CENTOS_7_OS_RELEASE } from './os-release';
import { LAB_ROOT, placeholder, ProfileBuilder } from './profile';
import { dedent, splitWarnings } from './published-output';
import { shippedProfile } from './shipped-profile';

/**
 * A RHEL-family host: CentOS 7, httpd 2.4.6 (prefork), from published captures in
 * test/fixtures/raw/ (see SOURCES.md). httpd answers every flag; apachectl, the systemd
 * wrapper there, only the version ones. What was not published is reconstructed from what
 * was, and marked so.
 */

const RAW = 'test/fixtures/raw';
const BOTH = ['apachectl', 'httpd'];
/** Not captured: where httpd-devel keeps its build files; APR headers (apr-devel) not installed. */
const BUILD_DIR = '/usr/lib64/httpd/build';
const APR_INCLUDEDIR = `${LAB_ROOT}/usr/include/apr-1`;
/** Not captured: the kernel CentOS 7 ended with. */
const CENTOS_7_KERNEL = '3.10.0-1160.el7.x86_64';

/**
 * The published -M list stops inside 00-base.conf; the lab appends what the later
 * conf.modules.d files load on such a host: the MPM its -V reports and mod_wsgi (the issue's).
 */
const MODULES_AFTER_THE_CUT = ' mpm_prefork_module (shared)\n wsgi_module (shared)\n';

/** What `-t -D DUMP_RUN_CFG` prints: `-S` without the virtual host part. */
function runConfigOnly(dashS: string): string {
  return dashS
    .split('\n')
    .filter((line) => !/^VirtualHost configuration:|^\S+:\d+\s|^\s+(?:default server|port \d+ namevhost)|^Define: DUMP_VHOSTS$/.test(line))
    .join('\n');
}

/**
 * Reconstructed, not captured: the stock CentOS 7 layout, httpd.conf including
 * conf.modules.d/*.conf, whose files load exactly the shared modules -M lists.
 */
function configuration(modules: string[]): { listing: string; files: Record<string, string> } {
  const loads = (ids: string[]) => ids.map((id) => `LoadModule ${id} modules/mod_${id.replace(/_module$/, '')}.so\n`).join('');
  const byFile: Record<string, string[]> = {
    '00-base.conf': modules.filter((id) => !/^(mpm_\w+|wsgi)_module$/.test(id)),
    '00-mpm.conf': modules.filter((id) => /^mpm_\w+_module$/.test(id)),
    '10-wsgi.conf': modules.filter((id) => id === 'wsgi_module'),
  };
  const dir = 'etc/httpd/conf.modules.d';
  const listing = [
    'Included configuration files:',
    `  (*) ${LAB_ROOT}/etc/httpd/conf/httpd.conf`,
    ...Object.keys(byFile).map((file) => `    (56) ${LAB_ROOT}/${dir}/${file}`),
    '',
  ].join('\n');
  const contents: Record<string, string> = {
    'etc/httpd/conf/httpd.conf': `# Reconstructed by the driftwatch lab, not captured.\nServerRoot "${LAB_ROOT}/etc/httpd"\nInclude conf.modules.d/*.conf\n`,
  };
  for (const [file, ids] of Object.entries(byFile)) contents[`${dir}/${file}`] = loads(ids);
  return { listing, files: syncListedFiles({}, '', listing, contents) };
}

export const centos7HttpdProfile = shippedProfile(() => {
  const raw = new FixtureDir(RAW);
  const build = splitWarnings(dedent(raw.text('httpd-V/centos7-2.4.6-ah00558-sercmigration-mangled.txt'), '    '));
  const modules = splitWarnings(raw.text('httpd-M/centos7-2.4-ah00558-modwsgi122-truncated.txt') + MODULES_AFTER_THE_CUT);
  const published = splitWarnings(dedent(raw.text('run-cfg/centos7-2.4.6-httpd-S-ah00558-sercmigration.txt'), '    '));
  const dashS = { ...published, stdout: rootServerRoot(published.stdout ?? '') };
  const runConfig = { ...dashS, stdout: runConfigOnly(dashS.stdout ?? '') };
  const config = configuration(listedModules(modules.stdout ?? '', 'shared'));
  return new ProfileBuilder('centos-7-httpd-2.4.6-prefork')
    .file('etc/os-release', CENTOS_7_OS_RELEASE)
    .fileSet(config.files)
    .file('etc/httpd/modules/mod_wsgi.so', placeholder('mod_wsgi.so (the ldd stub answers for it)'))
    .command(BOTH, '-V', build)
    .command(BOTH, '-v', { stdout: shortVersion(build.stdout ?? ''), stderr: build.stderr })
    .command('httpd', '-M|*DUMP_MODULES*', modules)
    .command('httpd', '-l', { stdout: compiledInModules(modules.stdout ?? '') })
    .command('httpd', '-S', dashS)
    .command('httpd', '*DUMP_RUN_CFG*DUMP_INCLUDES*|*DUMP_INCLUDES*DUMP_RUN_CFG*', { ...runConfig, stdout: bothDumps(config.listing, runConfig.stdout) })
    .command('httpd', '*DUMP_RUN_CFG*', runConfig)
    .command('httpd', '*DUMP_INCLUDES*', { ...runConfig, stdout: config.listing })
    .command('apxs', '-q installbuilddir', { stdout: `${BUILD_DIR}\n` })
    .command('apxs', '-q APR_INCLUDEDIR', { stdout: `${APR_INCLUDEDIR}\n` })
    .command('apr-1-config', '--includedir', { stdout: `${APR_INCLUDEDIR}\n` })
    .command('ldd', '*mod_wsgi*', raw.stdout('ldd/rhel-py2.7-custompath-modwsgi225.txt'))
    .cases('curl', [CURL_REFUSED])
    .cases('uname', unameCases(CENTOS_7_KERNEL))
    .build();
});
