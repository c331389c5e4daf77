import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { importKindSchema } from '../../../domain/import-rows.ts';
import { importCsv } from '../../../store/index.ts';
import { ACCESS } from '../../access-policy.ts';
import { actorOf } from '../../auth.ts';
import type { App, RouteModule } from '../../deps.ts';

/** A spreadsheet of several thousand people or devices fits; anything larger is split. */
const CSV_BODY_LIMIT = 8 * 1024 * 1024;

const problem = z.object({ line: z.number(), column: z.string().optional(), message: z.string() });
const done = z.object({
  kind: importKindSchema,
  dryRun: z.boolean(),
  rows: z.number().describe('Rows read (and, unless dryRun, created)'),
  ids: z.array(z.string()).describe('Ids of the records created; empty on a dry run'),
  preview: z.array(z.record(z.string(), z.unknown())).describe('The first rows as they were read, with their line'),
  secrets: z
    .array(z.object({ deviceId: z.string(), secret: z.string() }))
    .optional()
    .describe('Devices: each MQTT secret, shown once'),
});
const refused = z.object({
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string(), lines: z.array(problem).optional() }),
});

/**
 * POST /api/imports/{kind}: bulk registration from a spreadsheet saved as CSV (UTF-8, the header
 * names the API's fields). All rows or none; a refusal lists every bad line. `?dryRun=true`
 * checks everything, the database included, and writes nothing: the console's preview.
 */
export const importRoutes: RouteModule = async (app, deps) => {
  await app.register(async (scope) => {
    // Raw bytes, not a string: the encoding is checked by the importer, not guessed here.
    scope.addContentTypeParser('text/csv', { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT }, (_req, body, next) => next(null, body));
    declareImport(scope as unknown as App, deps);
  });
};

function declareImport(app: App, deps: Parameters<RouteModule>[1]): void {
  app.post(
    '/api/imports/:kind',
    {
      config: { access: ACCESS.admin },
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags: ['registry'],
        summary: 'Register beneficiaries, contacts, devices or responders from a CSV file, all or nothing',
        params: z.object({ kind: importKindSchema }),
        querystring: z.object({
          dryRun: z.enum(['true', 'false']).default('false'),
          secrets: z
            .enum(['issue', 'later'])
            .default('issue')
            .describe('Devices: issue each MQTT secret now (returned once), or later from the device page at installation'),
        }),
        consumes: ['text/csv'],
        response: { 200: done, 201: done, 400: refused },
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) {
        throw new CentinelaError('CENTINELA_ERR_VALIDATION', 'send the file itself with content-type text/csv (UTF-8)');
      }
      const dryRun = req.query.dryRun === 'true';
      const result = await importCsv(deps.repos, actorOf(req), req.params.kind, req.body, {
        dryRun,
        issueSecrets: req.query.secrets === 'issue',
      });
      if (!result.ok) {
        const count = new Set(result.problems.map((p) => p.line)).size;
        const message = `nothing was imported: ${count} line${count === 1 ? '' : 's'} with problems (${result.problems
          .slice(0, 3)
          .map((p) => `line ${p.line}${p.column ? ` ${p.column}` : ''}: ${p.message}`)
          .join('; ')}${result.problems.length > 3 ? '; …' : ''})`;
        return reply
          .code(400)
          .send({ error: { code: 'CENTINELA_ERR_VALIDATION', message, requestId: String(req.id), lines: result.problems } });
      }
      const { ok: _ok, ...body } = result;
      return reply.code(dryRun ? 200 : 201).send(body);
    },
  );
}
