// Choices the forms offer: the same codes the API's schemas accept (src/domain/registry.ts).
import { codesOf, label, t } from '../i18n.js';

/**
 * Mexico's states: their names come with the texts (`mxstate.GRO`), sent by the server from
 * src/domain/mexico.ts (src/api/console/i18n.ts), so the list exists once. A code it does not
 * know shows as itself.
 */
export const stateName = (/** @type {string | null | undefined} */ code) => (code ? label('mxstate', code) : '');

/** @typedef {{ value: string, label: string }} Option */

/** @returns {Option[]} */
export const stateOptions = () => codesOf('mxstate').map((value) => ({ value, label: `${stateName(value)} (${value})` }));
/** @param {string} prefix @param {readonly string[]} codes @returns {Option[]} */
export const coded = (prefix, codes) => codes.map((value) => ({ value, label: label(prefix, value) }));

export const BENEFICIARY_KINDS = ['defender', 'journalist', 'organisation'];
export const RISK_LEVELS = ['ordinary', 'high', 'extraordinary'];
export const RESPONDER_KINDS = ['municipal_police', 'state_police', 'federal_force', 'mechanism_rapid_reaction', 'other'];
export const ROLES = ['operator', 'supervisor', 'technician', 'analyst', 'admin'];
export const LANGUAGES = ['es', 'en'];

/** A "choose…" first option, so nothing is preselected by accident. @returns {Option} */
export const none = () => ({ value: '', label: t('admin.choose') });
