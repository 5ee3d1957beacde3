import { createLogger } from '@plumbline/log';
import { ConfigError, loadCloudConfig } from '../config/CloudConfig.ts';
import { openConfiguredStore } from '../config/openConfiguredStore.ts';
import { toAppError } from '../errors/AppError.ts';
import { startCloud } from '../startCloud.ts';
import { withoutQueryParams } from '../store/withoutQueryParams.ts';
import { type CliIo, runAdminCommand } from './runAdminCommand.ts';
import { UsageError } from './UsageError.ts';

const usage = `usage: plumbline-cloud <command>

  serve                                     run the control plane (HTTP API, health, metrics)
  admin create-tenant --slug S --name N     make a tenant
  admin create-user --email E --name N [--password-stdin] [--tenant S --role admin|approver|viewer]
                                            make a user, optionally a member of a tenant
  admin add-member --tenant S --email E --role admin|approver|viewer
                                            add an existing user to a tenant
  admin create-token --tenant S --user E --name N [--expires-in-days D]
                                            make an API token; it is printed once, on stdout
  admin create-enrollment-token --tenant S [--ttl-minutes 60]
                                            make a single-use token an agent enrolls with

Settings come from the environment (PLUMBLINE_DATA_DIR, PLUMBLINE_HOST, PLUMBLINE_PORT, ...)
and an optional JSON file named by PLUMBLINE_CONFIG; see cloud/README.md.`;

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help') {
    io.err(usage);
    return command === undefined ? 2 : 0;
  }
  const config = loadCloudConfig();

  if (command === 'serve') {
    const logger = createLogger({ name: 'plumbline-cloud', level: config.logLevel });
    const cloud = await startCloud(config, logger);
    const stop = () =>
      cloud.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: withoutQueryParams(error) }, 'cloud did not stop cleanly');
          process.exit(1);
        },
      );
    // The same signal a second time is not caught, so it ends a stop that hangs.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
    return new Promise<number>(() => {});
  }
  if (command === 'admin') {
    const store = openConfiguredStore(config);
    try {
      await runAdminCommand(rest, store, io);
    } finally {
      await store.close();
    }
    return 0;
  }
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      io.err(`plumbline-cloud: ${error.message}\n\n${usage}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) {
      io.err(`plumbline-cloud: configuration: ${error.message}`);
      process.exit(78);
    }
    const appError = toAppError(error);
    const shown = withoutQueryParams(error);
    const internal = appError.code === 'internal';
    io.err(
      `plumbline-cloud: ${internal ? ((shown as Error).stack ?? String(shown)) : appError.message}`,
    );
    process.exit(1);
  },
);
