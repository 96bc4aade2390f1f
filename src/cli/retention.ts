/** `npm run retention [-- --apply]` (see record/retention/retention-command.ts). */
import 'reflect-metadata';
import { loadConfig } from '../config';
import { describeError, log } from '../log';
import { retentionCommand } from '../record/retention/retention-command';

retentionCommand(loadConfig(), process.argv.slice(2), (line) => process.stdout.write(line + '\n')).catch((error) => {
  log.error('retention failed', describeError(error));
  process.exit(1);
});
