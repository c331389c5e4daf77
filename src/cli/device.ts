import type { Command } from 'commander';
import { CentinelaError } from '../domain/errors.ts';
import { deviceCreateSchema } from '../domain/registry.ts';
import { generateCredential, hashDeviceSecret } from '../platform/secrets.ts';
import { systemActor } from '../store/index.ts';
import { withStore } from './context.ts';
import { action, print } from './output.ts';

export function deviceCommand(program: Command): void {
  const device = program.command('device').description('manage devices');
  device
    .command('add')
    .description('register a device and print its MQTT secret once')
    .requiredOption('--id <id>', 'device id (also its MQTT client id and username)')
    .requiredOption('--model <model>', 'device model id from the catalogue')
    .option('--beneficiary <id>', 'beneficiary the device protects')
    .option('--state <code>', 'Mexican state code (ISO 3166-2:MX, e.g. VER)', 'CMX')
    .option('--hardware-id <id>', "what the device's own protocol calls it: GT06/Iridium/inReach IMEI or SIA DC-09 account")
    .action(
      action(async (opts: { id: string; model: string; beneficiary?: string; state: string; hardwareId?: string }, cmd: Command) => {
        const parsed = deviceCreateSchema.safeParse({
          id: opts.id,
          modelId: opts.model,
          beneficiaryId: opts.beneficiary,
          stateCode: opts.state,
          hardwareId: opts.hardwareId,
          installedAt: new Date().toISOString(),
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new CentinelaError('CENTINELA_ERR_VALIDATION', `${issue?.path.join('.')}: ${issue?.message}`);
        }
        const secret = generateCredential('dev');
        const created = await withStore(async ({ repos }) => {
          if (!(await repos.deviceModels.get(opts.model))) {
            const known = (await repos.deviceModels.list()).map((m) => m.id).join(', ');
            throw new CentinelaError(
              'CENTINELA_ERR_VALIDATION',
              `--model: unknown device model ${JSON.stringify(opts.model)} (known: ${known})`,
            );
          }
          return repos.devices.create(systemActor('cli'), parsed.data, hashDeviceSecret(secret));
        });
        print(
          cmd.optsWithGlobals(),
          { device: created, secret },
          `registered ${created.id} (${created.modelId})${created.hardwareId ? ` hardware id ${created.hardwareId}` : ''}\nMQTT username: ${created.id}\nMQTT secret (shown once): ${secret}`,
        );
      }),
    );
}
