import type { AlertsContext } from './context.ts';
import { loadAlarmForMessages, messageVars } from './message-vars.ts';
import type { Db } from './timeline.ts';

/** What a call speaks, in the recipient's language. */
export async function renderVoice(db: Db, ctx: AlertsContext, alarmId: string, language: string): Promise<string> {
  const a = await loadAlarmForMessages(db, alarmId);
  if (!a) return '';
  return ctx.templates.render(language, 'voice', messageVars(ctx.templates, language, a));
}
