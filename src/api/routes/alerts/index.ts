import type { RouteModule } from '../../deps.ts';
import { actionPlanRoutes } from './action-plans.ts';
import { alarmRoutes } from './alarms.ts';
import { caseReviewRoutes } from './case-reviews.ts';
import { checkInRoutes } from './check-ins.ts';
import { alarmHistoryRoutes } from './history.ts';
import { alarmNoteRoutes } from './notes.ts';
import { pagingRoutes } from './paging.ts';
import { planReportRoutes } from './plan-reports.ts';
import { securityAnswerRoutes } from './security-answers.ts';
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
  await actionPlanRoutes(app, deps);
  await securityAnswerRoutes(app, deps);
  await checkInRoutes(app, deps);
  await planReportRoutes(app, deps);
};
