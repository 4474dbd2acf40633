import { loadConfig } from '@driftwatch/config';
import { openDataSource } from '@driftwatch/persistence';
import { Command, CommandRunner } from 'nest-commander';

@Command({ name: 'migrate', description: 'bring the database schema up to date (the collector also does this at start)' })
export class MigrateCommand extends CommandRunner {
  async run(): Promise<void> {
    const dataSource = await openDataSource(loadConfig().databaseUrl);
    const applied = await dataSource.query('SELECT name FROM migrations ORDER BY id');
    process.stdout.write(`schema up to date: ${applied.map((r: { name: string }) => r.name).join(', ')}\n`);
    await dataSource.destroy();
  }
}
