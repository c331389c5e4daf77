import { z } from 'zod';
import { CentinelaError } from '../../../domain/errors.ts';
import { idSchema } from '../../../domain/registry.ts';
import { reportPeriod } from '../../../domain/report-period.ts';
import { toCsv } from '../../../domain/reports-csv.ts';
import { SUPPRESSION_RULE } from '../../../domain/reports-suppression.ts';
import { ACCESS, seesSmallGroups } from '../../access-policy.ts';
import { actorOf, roleOf } from '../../auth.ts';
import type { RouteModule } from '../../deps.ts';
import { healthOf } from '../../health-part.ts';

const DAY = 86_400_000;
/** The case view looks back this far (issue 19: the last 90 days). */
const CASE_WINDOW_DAYS = 90;

const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'expected a date (2026-06-01) or an ISO-8601 date-time' });
const query = z.object({
  from: when.optional(),
  to: when.optional(),
  format: z.enum(['json', 'csv']).default('json'),
  /** The language of the verdicts' reasons in CSV. */
  lang: z.enum(['es', 'en']).default('es'),
});

/**
 * Is a measure worth it here? (issue 19): per municipality, state and device kind for analysts
 * and supervisors; per person for supervisors, with the suggestion recorded on the case review.
 */
export const healthSuitabilityRoutes: RouteModule = (app, deps) => {
  app.get(
    '/api/reports/suitability',
    {
      config: { access: ACCESS.reportReaders },
      schema: {
        tags: ['reports'],
        summary: 'Suitability of each measure per municipality, state and device kind, with a plain-language verdict',
        description:
          'Figures per place and kind: people, devices, availability, share of expected check-ins received, median signal, alarms, ' +
          'help on scene p50/p90 (minutes), cost per protected day; a verdict (suitable, doubtful, unsuitable, no_data) with its ' +
          'reasons, from the thresholds file (CENTINELA_SUITABILITY_FILE). Municipalities with fewer than 5 people count only in ' +
          'their state; a missing or doubtful municipality counts under unknownMunicipality. Default period: the last 90 days. ' +
          SUPPRESSION_RULE,
        querystring: query,
      },
    },
    async (req, reply) => {
      const health = healthOf(deps);
      const now = deps.clock.now();
      const suppress = !seesSmallGroups(roleOf(req));
      const period = reportPeriod(req.query, now, health.timeZone, { wholeMonths: suppress, defaultFrom: now - CASE_WINDOW_DAYS * DAY });
      const report = await health.suitabilityReport(period, suppress);
      if (req.query.format === 'json') return report;
      const lang = req.query.lang;
      const rows = report.rows.map((r) => ({
        state: r.state,
        municipality: r.municipality ?? '',
        kind: r.kind,
        suppressed: r.suppressed,
        people: r.people ?? null,
        devices: r.devices ?? null,
        availability: r.availability ?? null,
        checkInShare: r.checkInShare ?? null,
        medianRssiDbm: r.medianRssiDbm ?? null,
        alarms: r.alarms ?? null,
        onSceneP50Min: r.onSceneP50Min ?? null,
        onSceneP90Min: r.onSceneP90Min ?? null,
        costPerProtectedDayMxn: r.costPerProtectedDayMxn ?? null,
        verdict: r.verdict,
        reasons: r.reasons.map((x) => x.text[lang]).join('; '),
      }));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="suitability.csv"')
        .send(toCsv(rows));
    },
  );

  const params = z.object({ id: idSchema });

  app.get(
    '/api/beneficiaries/:id/suitability',
    {
      config: { access: ACCESS.supervisors },
      schema: {
        tags: ['reports'],
        summary:
          "One person's measures over the last 90 days with figures and verdicts (personal data: audited), and the suggestions recorded",
        params,
      },
    },
    async (req) => {
      // P6: a read of one person's protection is personal data; get() audits it.
      const person = await deps.repos.beneficiaries.get(actorOf(req), req.params.id, 'suitability');
      const now = deps.clock.now();
      const from = now - CASE_WINDOW_DAYS * DAY;
      const measures = await healthOf(deps).personSuitability(person.id, { from, to: now });
      const suggestions = await deps.repos.caseReviewSuggestions.ofBeneficiary(person.id);
      return {
        beneficiaryId: person.id,
        alias: person.alias,
        from: new Date(from).toISOString(),
        to: new Date(now).toISOString(),
        measures,
        suggestions: suggestions.map((s) => ({ ...s, suggestedAt: new Date(s.suggestedAt).toISOString() })),
      };
    },
  );

  app.post(
    '/api/case-reviews/:id/suitability-suggestion',
    {
      config: { access: ACCESS.supervisors },
      schema: {
        tags: ['reports'],
        summary: "Records on a case review a proposed change of measure, with the person's current verdicts",
        params,
        body: z.strictObject({ suggestion: z.string().trim().min(3).max(2000) }),
      },
    },
    async (req, reply) => {
      const review = await deps.repos.caseReviews.require(req.params.id);
      if (!review.beneficiaryId)
        throw new CentinelaError('CENTINELA_ERR_STATE_CONFLICT', 'this case review has no person to suggest a measure for');
      const actor = actorOf(req);
      await deps.repos.beneficiaries.get(actor, review.beneficiaryId, 'suitability suggestion');
      const now = deps.clock.now();
      const measures = await healthOf(deps).personSuitability(review.beneficiaryId, { from: now - CASE_WINDOW_DAYS * DAY, to: now });
      const saved = await deps.repos.caseReviewSuggestions.add(actor, {
        caseReviewId: review.id,
        beneficiaryId: review.beneficiaryId,
        suggestedAt: now,
        suggestion: req.body.suggestion,
        verdicts: Object.fromEntries(measures.map((m) => [m.kind, m.verdict])),
      });
      return reply.code(201).send({ ...saved, suggestedAt: new Date(saved.suggestedAt).toISOString() });
    },
  );
};
