import { z } from 'zod';
import { alarmCallCreateSchema, alarmNoteCreateSchema, alarmNoteSchema } from '../../../domain/alarm-notes.ts';
import { ALARM_HANDLERS } from '../../../domain/roles.ts';
import { actorOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';

const params = z.object({ id: z.string().min(1).max(64) });
const tags = ['alarms'];

/**
 * Notes and the call log on an alarm: what the operator learnt and whom they called, at which
 * number and how it went. Shown on the alarm's timeline; kept for the case review. Audited.
 */
export const alarmNoteRoutes: RouteModule = (app, deps) => {
  const access = { access: ALARM_HANDLERS };

  app.get(
    '/api/alarms/:id/notes',
    {
      config: access,
      schema: { tags, summary: "The alarm's notes and calls, oldest first", params, response: { 200: z.array(alarmNoteSchema) } },
    },
    async (req) => deps.repos.alarmNotes.list(actorOf(req), req.params.id),
  );

  app.post(
    '/api/alarms/:id/notes',
    {
      config: access,
      schema: { tags, summary: 'Write a note on the alarm', params, body: alarmNoteCreateSchema, response: { 201: alarmNoteSchema } },
    },
    async (req, reply) => reply.code(201).send(await deps.repos.alarmNotes.addNote(actorOf(req), req.params.id, req.body)),
  );

  app.post(
    '/api/alarms/:id/calls',
    {
      config: access,
      schema: {
        tags,
        summary: 'Log a call made for the alarm: who, which number, how it went',
        params,
        body: alarmCallCreateSchema,
        response: { 201: alarmNoteSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await deps.repos.alarmNotes.addCall(actorOf(req), req.params.id, req.body)),
  );
};
