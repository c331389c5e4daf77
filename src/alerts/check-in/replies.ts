/**
 * What a person hears back when they set a check-in timer or check in by SMS or phone. Kept
 * beside the check-in code (issue 18) rather than in templates/, whose keys render alarms:
 * these go only to the phone that wrote or called. Spanish is the fallback.
 */
const TEXTS = {
  es: {
    set: 'Centinela: viaje registrado{destination}. Si no confirma en {minutes} minutos, la central activará la alerta. Al llegar responda LLEGUE.',
    checkedIn: 'Centinela: llegada registrada. Gracias.',
    unknown: 'Centinela: no hay un viaje activo para este número. No se cambió nada.',
    expired: 'Centinela: el tiempo de su viaje ya venció y la central fue alertada. No se cambió nada: llame a la central.',
    invalid: 'Centinela: no se entendió. Escriba VIAJE y los minutos (de 5 a 1440), por ejemplo: VIAJE 120 Mercado central.',
    unknownPhone: 'Centinela: número no registrado. No se cambió nada.',
    ambiguous: 'Centinela: este número es contacto de varias personas; pida a la central que registre el viaje. No se cambió nada.',
    voiceMenu: 'Centinela. Para confirmar que llegó bien, pulse 1.',
    voiceNoInput: 'No se recibió ninguna tecla. No se cambió nada.',
  },
  en: {
    set: 'Centinela: trip registered{destination}. Without a check-in within {minutes} minutes the centre raises the alarm. Reply LLEGUE on arrival.',
    checkedIn: 'Centinela: arrival registered. Thank you.',
    unknown: 'Centinela: there is no active trip for this number. Nothing was changed.',
    expired: 'Centinela: your trip time has run out and the centre was alerted. Nothing was changed: call the centre.',
    invalid: 'Centinela: not understood. Write VIAJE and the minutes (5 to 1440), e.g. VIAJE 120 Central market.',
    unknownPhone: 'Centinela: unregistered number. Nothing was changed.',
    ambiguous: 'Centinela: this number is a contact of several people; ask the centre to register the trip. Nothing was changed.',
    voiceMenu: 'Centinela. To confirm you arrived safely, press 1.',
    voiceNoInput: 'No key was received. Nothing was changed.',
  },
} as const;

export type ReplyKey = keyof (typeof TEXTS)['es'];

export function reply(language: string, key: ReplyKey, vars: Record<string, string | number> = {}): string {
  const texts = language === 'en' ? TEXTS.en : TEXTS.es;
  return texts[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** The language Twilio speaks a reply in. */
export const voiceLanguage = (language: string): 'en-US' | 'es-MX' => (language === 'en' ? 'en-US' : 'es-MX');
