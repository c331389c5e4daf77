import type { RouteModule } from '../../deps.ts';
import { alarmRoutes } from './alarms.ts';
import { caseReviewRoutes } from './case-reviews.ts';
import { alarmHistoryRoutes } from './history.ts';
import { alarmNoteRoutes } from './notes.ts';
import { pagingRoutes } from './paging.ts';
import { streamRoutes } from './stream.ts';
import { twilioRoutes } from './twilio.ts';

/** Resources served by src/alerts; each lives in its own file registered here. */
export const alertsRoutes: RouteModule = async (app, deps) => {
  await alarmRoutes(app, deps);
  await alarmHistoryRoutes(app, deps);
  await alarmNoteRoutes(app, deps);
  await caseReviewRoutes(app, deps);
  await pagingRoutes(app, deps);
  await streamRoutes(app, deps);
  await twilioRoutes(app, deps);
};
