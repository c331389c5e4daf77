import { mayBeRealDuringTest } from '../domain/alarm.ts';
import type { AlarmForMessages } from '../store/index.ts';
import { replyCode } from './reply-code.ts';
import type { Templates } from './templates.ts';

/**
 * Short and actionable (issue 4): who (the alias, never the full name), what, where, and the
 * reference to quote. Location is coarse text plus coordinates when the device sent them.
 */
export function messageVars(templates: Templates, language: string, a: AlarmForMessages): Readonly<Record<string, string>> {
  // A step pages several people from one reading of the alarm: its words are worked out once per language.
  let ofTemplates = known.get(templates);
  if (!ofTemplates) {
    ofTemplates = new WeakMap();
    known.set(templates, ofTemplates);
  }
  let byLanguage = ofTemplates.get(a);
  if (!byLanguage) {
    byLanguage = new Map();
    ofTemplates.set(a, byLanguage);
  }
  let vars = byLanguage.get(language);
  if (!vars) {
    vars = varsOf(templates, language, a);
    byLanguage.set(language, vars);
  }
  return vars;
}

const known = new WeakMap<Templates, WeakMap<AlarmForMessages, Map<string, Readonly<Record<string, string>>>>>();

function varsOf(templates: Templates, language: string, a: AlarmForMessages): Readonly<Record<string, string>> {
  const { alarm, subject } = a;
  const place = [subject?.municipality, subject?.stateCode ?? a.deviceStateCode].filter(Boolean).join(', ');
  const coords = alarm.loc ? ` (${alarm.loc.lat.toFixed(5)},${alarm.loc.lon.toFixed(5)})` : '';
  const severityKey = alarm.severity === 'critical' ? 'severityCritical' : alarm.severity === 'low' ? 'severityLow' : 'severityHigh';
  const test = alarm.test ? templates.render(language, mayBeRealDuringTest(alarm.kind, alarm.test) ? 'testPossiblyReal' : 'test', {}) : '';
  return {
    alias: subject?.alias ?? alarm.deviceId,
    what: `${test}${templates.kindLabel(language, alarm.kind)}`,
    where: `${place || '?'}${coords}`,
    ref: alarm.id,
    // Issue 15: the code a reply quotes, so it can only acknowledge this alarm.
    code: replyCode(alarm.id),
    severity: templates.render(language, severityKey, {}),
  };
}
