import type { MexicanState } from '../../src/domain/mexico.ts';

/**
 * Each state's capital (or, for Mexico City, its central borough) with approximate coordinates:
 * where the demo's generated people live. Public geography, rounded to a hundredth of a degree.
 */
export const CAPITALS: Record<MexicanState, { municipality: string; lat: number; lon: number }> = {
  AGU: { municipality: 'Aguascalientes', lat: 21.88, lon: -102.29 },
  BCN: { municipality: 'Mexicali', lat: 32.62, lon: -115.45 },
  BCS: { municipality: 'La Paz', lat: 24.14, lon: -110.31 },
  CAM: { municipality: 'Campeche', lat: 19.84, lon: -90.53 },
  CHH: { municipality: 'Chihuahua', lat: 28.63, lon: -106.07 },
  CHP: { municipality: 'Tuxtla Gutiérrez', lat: 16.75, lon: -93.12 },
  CMX: { municipality: 'Cuauhtémoc', lat: 19.43, lon: -99.13 },
  COA: { municipality: 'Saltillo', lat: 25.42, lon: -101.0 },
  COL: { municipality: 'Colima', lat: 19.24, lon: -103.72 },
  DUR: { municipality: 'Durango', lat: 24.02, lon: -104.66 },
  GRO: { municipality: 'Chilpancingo de los Bravo', lat: 17.55, lon: -99.5 },
  GUA: { municipality: 'Guanajuato', lat: 21.02, lon: -101.26 },
  HID: { municipality: 'Pachuca de Soto', lat: 20.1, lon: -98.76 },
  JAL: { municipality: 'Guadalajara', lat: 20.67, lon: -103.35 },
  MEX: { municipality: 'Toluca', lat: 19.29, lon: -99.66 },
  MIC: { municipality: 'Morelia', lat: 19.7, lon: -101.19 },
  MOR: { municipality: 'Cuernavaca', lat: 18.92, lon: -99.23 },
  NAY: { municipality: 'Tepic', lat: 21.5, lon: -104.89 },
  NLE: { municipality: 'Monterrey', lat: 25.69, lon: -100.32 },
  OAX: { municipality: 'Oaxaca de Juárez', lat: 17.06, lon: -96.73 },
  PUE: { municipality: 'Puebla', lat: 19.04, lon: -98.21 },
  QUE: { municipality: 'Querétaro', lat: 20.59, lon: -100.39 },
  ROO: { municipality: 'Othón P. Blanco', lat: 18.5, lon: -88.3 },
  SIN: { municipality: 'Culiacán', lat: 24.81, lon: -107.39 },
  SLP: { municipality: 'San Luis Potosí', lat: 22.15, lon: -100.98 },
  SON: { municipality: 'Hermosillo', lat: 29.07, lon: -110.96 },
  TAB: { municipality: 'Centro', lat: 17.99, lon: -92.93 },
  TAM: { municipality: 'Victoria', lat: 23.74, lon: -99.15 },
  TLA: { municipality: 'Tlaxcala', lat: 19.32, lon: -98.24 },
  VER: { municipality: 'Xalapa', lat: 19.54, lon: -96.91 },
  YUC: { municipality: 'Mérida', lat: 20.97, lon: -89.62 },
  ZAC: { municipality: 'Zacatecas', lat: 22.77, lon: -102.58 },
};
