import { describe, expect, it } from 'vitest';
import { decodeCsv } from './import-csv.ts';
import { parseRows } from './import-rows.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('reading a CSV file', () => {
  it('reads a spreadsheet saved with a BOM, CRLF and blank rows, naming each row by the line it starts on', () => {
    // Line 4 is blank and line 5 a row of empty cells, as spreadsheets save them.
    const file = '\ufeffid,alias\r\nb1,"Garza\r\nReal"\r\n\r\n,\r\nb2,Colibrí\r\n';
    const decoded = decodeCsv(bytes(file));
    expect(decoded).toEqual({
      ok: true,
      header: ['id', 'alias'],
      rows: [
        { line: 2, cells: { id: 'b1', alias: 'Garza\r\nReal' } },
        { line: 6, cells: { id: 'b2', alias: 'Colibrí' } },
      ],
    });
  });

  it('refuses Latin-1 and UTF-16 by name, an unclosed quote, a header twice, and no rows', () => {
    const latin1 = Uint8Array.from([...bytes('id,alias\nb1,ok\nb2,Pe'), 0xf1, ...bytes('a\n')]);
    expect(decodeCsv(latin1)).toEqual({ ok: false, problems: [{ line: 3, message: expect.stringMatching(/not UTF-8 text \(line 3\)/) }] });
    expect(decodeCsv(Uint8Array.from([0xfe, 0xff, 0, 0x69]))).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/UTF-16/) }],
    });
    expect(decodeCsv(bytes('id,alias\nb1,"open\n'))).toMatchObject({
      ok: false,
      problems: [{ message: expect.stringMatching(/not valid CSV/) }],
    });
    expect(decodeCsv(bytes('id,id\nb1,b2\n'))).toMatchObject({ ok: false, problems: [{ line: 1, column: 'id' }] });
    expect(decodeCsv(bytes('id,alias\n'))).toMatchObject({
      ok: false,
      problems: [{ line: 1, message: 'the file has a header but no rows' }],
    });
  });
});

describe('rows through the API schemas', () => {
  it('turns cells into the fields the API takes: numbers, lists, addresses and aggressors', () => {
    const header = ['name', 'kind', 'stateCode', 'phone', 'escalationOrder'];
    const { batch, problems } = parseRows('responders', header, [
      { line: 2, cells: { name: 'Policía', kind: 'state_police', stateCode: 'GRO', phone: '+527474710000', escalationOrder: '1' } },
      { line: 3, cells: { name: 'Policía', kind: 'state_police', stateCode: 'GRO', phone: '+527474710000', escalationOrder: 'uno' } },
    ]);
    expect(batch.records).toEqual([{ line: 2, input: expect.objectContaining({ escalationOrder: 1, language: 'es' }) }]);
    expect(problems).toEqual([{ line: 3, column: 'escalationOrder', message: expect.stringMatching(/number/) }]);

    const people = parseRows(
      'beneficiaries',
      ['id', 'alias', 'fullName', 'kind', 'stateCode', 'riskLevel', 'addresses', 'presumedAggressors'],
      [
        {
          line: 2,
          cells: {
            id: 'b1',
            alias: 'A',
            fullName: 'A B',
            kind: 'defender',
            stateCode: 'GRO',
            riskLevel: 'high',
            addresses: 'Calle 1 | Trabajo: Av. 2',
            presumedAggressors: 'municipal_police:GRO:Chilpancingo; responder:rsp-9; police',
          },
        },
      ],
    );
    expect(people.problems).toEqual([{ line: 2, column: 'presumedAggressors', message: expect.any(String) }]);
    const fixed = parseRows(
      'beneficiaries',
      ['id', 'alias', 'fullName', 'kind', 'stateCode', 'riskLevel', 'addresses', 'presumedAggressors'],
      [
        {
          line: 2,
          cells: {
            id: 'b1',
            alias: 'A',
            fullName: 'A B',
            kind: 'defender',
            stateCode: 'GRO',
            riskLevel: 'high',
            addresses: 'Calle 1 | Trabajo: Av. 2',
            presumedAggressors: 'municipal_police:GRO:Chilpancingo; responder:rsp-9',
          },
        },
      ],
    );
    expect(fixed.problems).toEqual([]);
    expect(fixed.batch.records[0]?.input).toMatchObject({
      addresses: [
        { label: 'domicilio', line: 'Calle 1' },
        { label: 'Trabajo', line: 'Av. 2' },
      ],
      presumedAggressors: [
        { type: 'authority', responderKind: 'municipal_police', stateCode: 'GRO', municipality: 'Chilpancingo' },
        { type: 'responder', responderId: 'rsp-9' },
      ],
    });
  });
});
