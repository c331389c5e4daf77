import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CentinelaError } from '../domain/errors.ts';
import { BadRows, CorruptRowError, checked, checkedJson, decodeRow, flag, isBadRow, mapEach } from './row-check.ts';

const stateRow = z.object({ id: z.string(), state: z.enum(['open', 'closed']), urgent: flag });

/** One reader: whichever way a row is read, a row that does not fit is named the same way. */
describe('the reader of stored rows', () => {
  it('names the table, the row and the field of a value that does not fit, never the value', () => {
    const err = (() => {
      try {
        checked('alarms', 'alm_1', 'state', z.enum(['open']), 'Persona Ficticia');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CorruptRowError);
    expect(err).toMatchObject({ code: 'CENTINELA_ERR_STORE_BAD_ROW', details: { table: 'alarms', id: 'alm_1', field: 'state' } });
    expect((err as Error).message).toMatch(/^alarms "alm_1": field state is unreadable/);
    expect((err as Error).message).not.toContain('Persona Ficticia');
  });

  it('reads JSON columns and whole rows the same way: NULL is null, bad JSON and bad columns are named', () => {
    const list = z.array(z.string());
    expect(checkedJson('contacts', 'c1', 'channels', list, null)).toBeNull();
    expect(checkedJson('contacts', 'c1', 'channels', list, '["sms"]')).toEqual(['sms']);
    expect(() => checkedJson('contacts', 'c1', 'channels', list, '["sms"')).toThrow(
      /contacts "c1": field channels is unreadable \(not JSON\)/,
    );
    expect(() => checkedJson('contacts', 'c1', 'channels', list, '[7]')).toThrow(CorruptRowError);
    expect(decodeRow('cases', 'k1', stateRow, { id: 'k1', state: 'open', urgent: 1 })).toEqual({ id: 'k1', state: 'open', urgent: true });
    expect(() => decodeRow('cases', 'k1', stateRow, { id: 'k1', state: 'open', urgent: 2 })).toThrow(
      expect.objectContaining({ details: { table: 'cases', id: 'k1', field: 'urgent' } }),
    );
  });

  it('sets aside the rows of a list that do not fit and serves the others, but fails on any other error', () => {
    const rows = [
      { id: 'k1', state: 'open', urgent: 0 },
      { id: 'k2', state: 'exploded', urgent: 0 },
      { id: 'k3', state: 'closed', urgent: true },
    ];
    const read = mapEach(rows, (r) => decodeRow('cases', r.id, stateRow, r));
    expect(read.items.map((r) => r.id)).toEqual(['k1', 'k3']);
    expect(read.bad.map((e) => e.details)).toEqual([{ table: 'cases', id: 'k2', field: 'state' }]);
    expect(read.bad.every(isBadRow)).toBe(true);
    const refused = new CentinelaError('CENTINELA_ERR_STORE_UNAVAILABLE', 'the database is away');
    expect(() =>
      mapEach(rows, () => {
        throw refused;
      }),
    ).toThrow(refused);
  });

  it('reports the rows a health list set aside to whoever listens, and stops when they stop listening', () => {
    const badRows = new BadRows();
    const heard: unknown[] = [];
    const stop = badRows.listen((err) => heard.push(err.details));
    const rows = [
      { id: 'k1', state: 'open', urgent: 0 },
      { id: 'k2', state: 'open', urgent: 'yes' },
    ];
    expect(badRows.decodeAll('cases', rows, (r) => r.id, stateRow).map((r) => r.id)).toEqual(['k1']);
    expect(heard).toEqual([{ table: 'cases', id: 'k2', field: 'urgent' }]);
    stop();
    badRows.decodeAll('cases', rows, (r) => r.id, stateRow);
    expect(heard).toHaveLength(1);
  });
});
