import { FixtureDir } from './fixtures';
import { addModule, compiledInModules, listedModules, listedMpm, moduleId, removeModule, replaceMpmModule } from './module-list';

const event = new FixtureDir('test/fixtures/hosts/debian-12-apache-2.4.71-event');
const modules = event.text('apachectl-M.stdout');

describe('module-list', () => {
  it('names modules with or without the _module suffix', () => {
    expect(moduleId('headers')).toBe('headers_module');
    expect(moduleId('headers_module')).toBe('headers_module');
    expect(() => moduleId('bad name')).toThrow('invalid module name');
  });

  it('adds a shared module in alphabetical place, once', () => {
    const added = addModule(modules, 'headers');
    const ids = listedModules(added);
    expect(ids.indexOf('headers_module')).toBe(ids.indexOf('filter_module') + 1);
    expect(addModule(added, 'headers_module')).toBe(added);
    expect(listedModules(addModule(modules, 'zz'), 'shared').pop()).toBe('zz_module');
    expect(addModule('Loaded Modules:\n', 'wsgi')).toBe('Loaded Modules:\n wsgi_module (shared)\n');
  });

  it('removes a module and swaps the MPM', () => {
    expect(listedModules(removeModule(modules, 'wsgi'))).not.toContain('wsgi_module');
    expect(listedMpm(modules)).toBe('event');
    expect(listedMpm(replaceMpmModule(modules, 'worker'))).toBe('worker');
  });

  it('derives -l from the static modules exactly as the host printed it', () => {
    expect(compiledInModules(modules)).toBe(event.text('apachectl-l.stdout'));
  });
});
