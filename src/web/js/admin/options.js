// Choices the forms offer: the same codes the API's schemas accept (src/domain/registry.ts).
import { label, t } from '../i18n.js';

/** ISO 3166-2:MX codes and names (proper nouns: the same in every language). */
export const STATES = {
  AGU: 'Aguascalientes',
  BCN: 'Baja California',
  BCS: 'Baja California Sur',
  CAM: 'Campeche',
  CHH: 'Chihuahua',
  CHP: 'Chiapas',
  CMX: 'Ciudad de México',
  COA: 'Coahuila',
  COL: 'Colima',
  DUR: 'Durango',
  GRO: 'Guerrero',
  GUA: 'Guanajuato',
  HID: 'Hidalgo',
  JAL: 'Jalisco',
  MEX: 'Estado de México',
  MIC: 'Michoacán',
  MOR: 'Morelos',
  NAY: 'Nayarit',
  NLE: 'Nuevo León',
  OAX: 'Oaxaca',
  PUE: 'Puebla',
  QUE: 'Querétaro',
  ROO: 'Quintana Roo',
  SIN: 'Sinaloa',
  SLP: 'San Luis Potosí',
  SON: 'Sonora',
  TAB: 'Tabasco',
  TAM: 'Tamaulipas',
  TLA: 'Tlaxcala',
  VER: 'Veracruz',
  YUC: 'Yucatán',
  ZAC: 'Zacatecas',
};

/** @typedef {{ value: string, label: string }} Option */

/** @returns {Option[]} */
export const stateOptions = () => Object.entries(STATES).map(([value, name]) => ({ value, label: `${name} (${value})` }));
/** @param {string} prefix @param {readonly string[]} codes @returns {Option[]} */
export const coded = (prefix, codes) => codes.map((value) => ({ value, label: label(prefix, value) }));

export const BENEFICIARY_KINDS = ['defender', 'journalist', 'organisation'];
export const RISK_LEVELS = ['ordinary', 'high', 'extraordinary'];
export const RESPONDER_KINDS = ['municipal_police', 'state_police', 'federal_force', 'mechanism_rapid_reaction', 'other'];
export const ROLES = ['operator', 'supervisor', 'technician', 'analyst', 'admin'];
export const LANGUAGES = ['es', 'en'];

/** A "choose…" first option, so nothing is preselected by accident. @returns {Option} */
export const none = () => ({ value: '', label: t('admin.choose') });
