import { addLoadInclude, bothDumps, DEBIAN_MODULES_DIR, renameModuleIncludes, rootListing, rootServerRoot, syncListedFiles } from './apache-includes';
import { shortVersion } from './build-info';
import { CURL_REFUSED, unameCases } from './common-commands';
import { dpkgQuery } from './dpkg-query';
import { FixtureDir } from './fixtures';
import { DEBIAN_12_OS_RELEASE } from './os-release';
import { LAB_ROOT, LabProfile, placeholder, ProfileBuilder } from './profile';
import { shippedProfile } from './shipped-profile';

/**
 * Debian 12, apache2 2.4.71 + libapache2-mod-wsgi-py3 4.9.4, from the captures of one host in
 * two configurations (test/fixtures/hosts/): event MPM with a mod_wsgi daemon group, and
 * prefork MPM in embedded mode with headers_module added.
 */

const EVENT = 'test/fixtures/hosts/debian-12-apache-2.4.71-event';
const PREFORK = 'test/fixtures/hosts/debian-12-apache-2.4.71-prefork-embedded';
const RAW = 'test/fixtures/raw';
/** Not captured: a kernel Debian 12 shipped. */
const DEBIAN_12_KERNEL = '6.1.0-28-amd64';
const DPKG_QUERY = 'packages/debian12-2.4.71-driftwatch-capture-dpkg-query.txt';
const CTL = 'apache2ctl';
const DIAG_CONF = 'etc/apache2/conf-enabled/diag.conf';
/** APR's headers, moved into the host so the mutex check reads the captured apr.h lines. */
const APR_INCLUDEDIR = `${LAB_ROOT}/usr/include/apr-1.0`;

/** diag.conf is not among the captures; these follow the fixture notes (/__diag, processes=2 threads=4). */
const DAEMON_DIAG_CONF = `# Reconstructed by the driftwatch lab from the capture notes, not captured.
WSGIDaemonProcess diag processes=2 threads=4
WSGIScriptAlias /__diag /var/www/diag/diag.wsgi process-group=diag
`;
const EMBEDDED_DIAG_CONF = `# Reconstructed by the driftwatch lab from the capture notes, not captured.
WSGIScriptAlias /__diag /var/www/diag/diag.wsgi
`;

interface Configuration {
  name: string;
  /** Where this configuration's -V, -M and diagnostic page were captured. */
  captures: FixtureDir;
  diagPage: string;
  diagConf: string;
  /** The DUMP_INCLUDES listing, rooted in the host directory. */
  includes: string;
}

function debian12(config: Configuration): LabProfile {
  const event = new FixtureDir(EVENT);
  const raw = new FixtureDir(RAW);
  const build = config.captures.captured('apachectl-V');
  const captured = event.captured('apachectl-DUMP_RUN_CFG');
  const runConfig = { ...captured, stdout: rootServerRoot(captured.stdout ?? '') };
  const files = syncListedFiles({}, '', config.includes, { [DIAG_CONF]: config.diagConf });
  return new ProfileBuilder(config.name)
    .file('etc/os-release', DEBIAN_12_OS_RELEASE)
    .fileSet(files)
    .file('usr/include/apr-1.0/apr.h', event.text('apr.h-serialize.txt'))
    .file('etc/apache2/envvars', placeholder('/etc/apache2/envvars'))
    .file(`${DEBIAN_MODULES_DIR}/mod_wsgi.so`, placeholder('mod_wsgi.so (the ldd stub answers for it)'))
    .command(CTL, '-V', build)
    .command(CTL, '-v', { stdout: shortVersion(build.stdout ?? '') })
    .command(CTL, '-M|*DUMP_MODULES*', config.captures.captured('apachectl-M'))
    .command(CTL, '-l', event.captured('apachectl-l'))
    .command(CTL, '*DUMP_RUN_CFG*DUMP_INCLUDES*|*DUMP_INCLUDES*DUMP_RUN_CFG*', { ...runConfig, stdout: bothDumps(config.includes, runConfig.stdout ?? '') })
    .command(CTL, '*DUMP_RUN_CFG*', runConfig)
    .command(CTL, '*DUMP_INCLUDES*', { stdout: config.includes })
    .command(CTL, '-t', { stderr: 'Syntax OK\n' })
    .command('apache2', '-V', event.captured('apache2-V-without-envvars', 1))
    .command('apache2', '-M|*DUMP_MODULES*', { stderr: raw.text('httpd-M/debian12-2.4.71-apache2-M-noenvvars-broken-live.txt'), exitCode: 1 })
    .command('apache2', '-l', raw.stdout('httpd-l/debian12-2.4.71-driftwatch-capture-apache2-l-noenvvars.txt'))
    .command('apxs', '-q installbuilddir', event.captured('apxs-q-installbuilddir'))
    .command('apxs', '-q PREFIX LIBEXECDIR SYSCONFDIR', raw.stdout('config-nice/debian12-2.4.71-apxs-q-PREFIX-LIBEXECDIR-SYSCONFDIR-live.txt'))
    .command('apxs', '-q APR_INCLUDEDIR', { stdout: `${APR_INCLUDEDIR}\n` })
    .command('apr-1-config', '--includedir', { stdout: `${APR_INCLUDEDIR}\n` })
    .command('ldd', '*mod_wsgi*', event.captured('ldd-mod_wsgi'))
    .command('dpkg-query', '-W*|--show*', dpkgQuery(raw.text(DPKG_QUERY)))
    .command('curl', '*/__diag*', config.captures.stdout(config.diagPage))
    .cases('curl', [CURL_REFUSED])
    .cases('uname', unameCases(DEBIAN_12_KERNEL))
    .build();
}

const eventIncludes = () => rootListing(new FixtureDir(EVENT).text('apachectl-DUMP_INCLUDES.stdout'), '/etc/apache2/');

export const debian12EventProfile = shippedProfile(() =>
  debian12({
    name: 'debian-12-apache-2.4.71-event',
    captures: new FixtureDir(EVENT),
    diagPage: 'wsgi-diag-daemon.txt',
    diagConf: DAEMON_DIAG_CONF,
    includes: eventIncludes(),
  }),
);

/** Its includes were not captured: they are the event ones changed the way the host changed. */
export const debian12PreforkEmbeddedProfile = shippedProfile(() =>
  debian12({
    name: 'debian-12-apache-2.4.71-prefork-embedded',
    captures: new FixtureDir(PREFORK),
    diagPage: 'wsgi-diag-embedded.txt',
    diagConf: EMBEDDED_DIAG_CONF,
    includes: renameModuleIncludes(addLoadInclude(eventIncludes(), 'headers'), 'mpm_event', 'mpm_prefork'),
  }),
);

/** The same Debian 12 machine without Apache or mod_wsgi: no control binary, Python only. */
export const debian12NoApacheProfile = shippedProfile(() =>
  new ProfileBuilder('debian-12-no-apache')
    .file('etc/os-release', DEBIAN_12_OS_RELEASE)
    .command('dpkg-query', '-W*|--show*', dpkgQuery(new FixtureDir(RAW).text(DPKG_QUERY), ['apache2', 'apache2-bin', 'libapache2-mod-wsgi*']))
    .cases('curl', [CURL_REFUSED])
    .cases('uname', unameCases(DEBIAN_12_KERNEL))
    .build(),
);
