import { CheckResults } from '../check';
import { framedSection } from '../testing/framed-section';
import { DaemonProcess } from './python-config.check';
import { parsePythonProcesses, pythonProcessesCheck } from './python-processes.check';

/**
 * Rows as `ps -e -o pid= -o ppid= -o user= -o args=` printed them on a real fleet host (Debian 12,
 * mod_wsgi 4.9.4): display-name=%{GROUP} of group driftwatch-diag is written over Apache's argv[0]
 * `/usr/sbin/apache2` and cut to its 17 characters.
 */
const PS = [
  '  4101       1 root     /usr/sbin/apache2 -k start',
  '  4102    4101 www-data (wsgi:driftwatch- -k start',
  '  4103    4101 www-data (wsgi:driftwatch- -k start',
  '  4104    4101 www-data /usr/sbin/apache2 -k start',
].join('\n');
const PROC = ['threads\t4102\t7', 'threads\t4103\t7', 'threads\t4104\t27'].join('\n');

const group = (name: string, processes: number): DaemonProcess => ({ name, processes, threads: 4, options: { processes: String(processes), threads: '4', 'display-name': '%{GROUP}' } });

function findingsWith(groups: DaemonProcess[], ps = PS) {
  const processes = parsePythonProcesses(framedSection('python.processes', { ps, proc: PROC }, { pidFile: '/run/apache2/apache2.pid', as: 'ops' }));
  const results = { 'python.processes': processes, 'python.config': { status: 'ok', facts: { daemonProcesses: groups } } } as unknown as CheckResults;
  return { processes, findings: pythonProcessesCheck.findings!(results) };
}

describe('daemon processes whose display name mod_wsgi cut to the length of argv[0]', () => {
  it('are counted for their group: two processes of processes=2 is no mismatch', () => {
    const { processes, findings } = findingsWith([group('driftwatch-diag', 2)]);
    expect(processes.facts).toMatchObject({ titleLength: 17, daemons: [{ command: '(wsgi:driftwatch-', group: null, count: 2, threads: [7] }], childCount: 1 });
    expect(findings).toEqual([]);
  });

  it("leave out children that exited and are not reaped yet: a restart's zombies are no group and no maps", () => {
    // As the fleet host's ps showed right after a graceful restart; its maps were unreadable.
    const zombies = `${PS}\n  4190    4101 www-data [apache2] <defunct>\n  4191    4101 www-data [apache2] <defunct>`;
    const { processes } = findingsWith([group('driftwatch-diag', 2)], zombies);
    expect(processes.facts).toEqual(findingsWith([group('driftwatch-diag', 2)]).processes.facts);
    expect(JSON.stringify(processes.facts)).not.toContain('defunct');
  });

  it('still give a count mismatch, naming the title as shown', () => {
    const { findings } = findingsWith([group('driftwatch-diag', 3)]);
    expect(findings).toEqual([
      expect.objectContaining({ id: 'daemon-process-count-mismatch', severity: 'warning', message: expect.stringContaining('runs 2 processes ((wsgi:driftwatch-diag), shown as (wsgi:driftwatch-) but WSGIDaemonProcess driftwatch-diag says processes=3') }),
    ]);
  });

  it('are not counted when two groups are cut to the same title: which group a process is cannot be told', () => {
    const { findings } = findingsWith([group('driftwatch-diag', 1), group('driftwatch-docs', 1)]);
    expect(findings).toEqual([]);
  });

  it('a group with no process at all is critical', () => {
    const { findings } = findingsWith([group('driftwatch-diag', 2)], PS.split('\n').filter((row) => !row.includes('(wsgi:')).join('\n'));
    expect(findings).toEqual([expect.objectContaining({ id: 'daemon-process-count-mismatch', severity: 'critical' })]);
  });
});
