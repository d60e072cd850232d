// SCS, SIA 1, SIA 2, SSA and SLAP against the DaCHS testbed (testbed/up.sh).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVOTable } from '@vokit/votable';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cachedataset,
  DALOptionsError,
  DALQueryError,
  getdataset,
  SCSService,
  SIA2Service,
  SIAService,
  SLAPService,
  SSAService,
} from '../src/index.js';
import { testbed } from './support/testbed.js';

const tb = testbed();
const scratch = mkdtempSync(join(tmpdir(), 'vokit-dal-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('SCS', () => {
  const scs = new SCSService(tb.scs);

  it('finds the stars on both sides of RA 0 (ids as SCS 1.03 char)', async () => {
    const r = await scs.search([0, -30], 0.1);
    expect(r.records.map((x) => [x.id, x.ra, x.dec])).toEqual([
      ['9007199326011993', 0, -30],
      ['9007199326019912', 359.99995, -30],
      ['9007199326027831', 0.0004, -30.0003],
      ['9007199326035750', 359.9996, -29.9997],
      ['9007199326043669', 0.05, -29.97],
      ['9007199326051588', 359.95, -30.04],
    ]);
  });

  it('normalises RA 360 to 0 and finds the south pole', async () => {
    const r = await scs.search({ ra: 360, dec: -90 }, 0.01);
    expect(r.queryUrl).toBe(`${tb.scs}?RA=0&DEC=-90&SR=0.01`);
    expect(r.records.map((x) => x.id)).toEqual(['9007199326075345', '9007199326083264']);
  });

  it('returns 66 stars within 0.5 degree of the patch centre; VERB changes the columns', async () => {
    const [narrow, wide] = await Promise.all([scs.search([155, 5], 0.5, { verbosity: 1 }), scs.search([155, 5], 0.5, { verbosity: 3 })]);
    expect(narrow.length).toBe(66);
    expect(wide.length).toBe(66);
    expect(narrow.fieldnames.length).toBeLessThan(wide.fieldnames.length);
    expect(wide.fieldnames).toContain('remark');
  });

  it('reports a service error for an invalid request', async () => {
    const error = await scs.search([155, 5], 0.5, { params: { SR: 'huge' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DALQueryError);
    expect((error as DALQueryError).serverMessage).toMatch(/SR/);
  });

  it('validates positions before sending anything', () => {
    expect(() => scs.search([10, 91], 0.1)).toThrow('pos: Dec must be within [-90, 90] degrees, got 91');
    expect(() => scs.search([10, 0], -1)).toThrow(DALOptionsError);
  });
});

describe('SIA 1', () => {
  const sia = new SIAService(tb.sia1);

  it('finds the three frames of field f1 with their access URLs', async () => {
    const r = await sia.search([152.5, 2.5], 0.1);
    expect(r.records.map((x) => x.getdataurl()).sort()).toEqual([
      `${tb.base}/getproduct/vokit/data/images/f1_H.fits`,
      `${tb.base}/getproduct/vokit/data/images/f1_J.fits`,
      `${tb.base}/getproduct/vokit/data/images/f1_Ks.fits`,
    ]);
    expect(r.records.map((x) => x.format)).toEqual(['image/fits', 'image/fits', 'image/fits']);
    // DaCHS computes the centre from the WCS: half a pixel (0.00125 deg) off the nominal field centre
    expect(r.records.map((x) => [x.ra, x.dec])).toEqual(Array(3).fill([152.50125118966446, 2.4987499994051725]));
  });

  it('passes FORMAT and INTERSECT', async () => {
    const [fits, jpeg, covers, enclosed] = await Promise.all([
      sia.search([152.5, 2.5], 0.1, { format: 'image/fits' }),
      sia.search([152.5, 2.5], 0.1, { format: 'image/jpeg' }),
      sia.search([152.6, 2.6], 0.02, { intersect: 'COVERS' }),
      sia.search([152.6, 2.6], 0.02, { intersect: 'ENCLOSED' }),
    ]);
    expect([fits.length, jpeg.length, covers.length, enclosed.length]).toEqual([3, 0, 3, 0]);
    expect(enclosed.queryUrl).toBe(`${tb.sia1}?POS=152.6%2C2.6&SIZE=0.02&INTERSECT=ENCLOSED`);
  });

  it('finds the frame centred on RA 0 from both sides of the seam', async () => {
    const [east, west] = await Promise.all([sia.search([0.2, -30], 0.05), sia.search([359.8, -30], 0.05)]);
    expect(east.records.map((x) => x.title)).toEqual(['vokit field wrap in 2MASS Ks']);
    expect(west.records.map((x) => x.title)).toEqual(['vokit field wrap in 2MASS Ks']);
  });

  it('streams a dataset and caches it under a safe name', async () => {
    const [record] = (await sia.search([157.5, 7.5], 0.1, { params: { FORMAT: 'image/fits' } })).records;
    const dataset = await getdataset(record, { timeout: 30_000 });
    expect(dataset.contentType).toBe('image/fits');
    const reader = dataset.body.getReader();
    const first = (await reader.read()).value!;
    expect(new TextDecoder().decode(first.subarray(0, 30))).toBe('SIMPLE  =                    T');
    await reader.cancel();
    const file = await cachedataset(record, scratch, { filename: '../../escape/f2.fits' });
    expect(file).toBe(join(scratch, 'f2.fits'));
    expect(statSync(file).size).toBe(164160);
    expect(readFileSync(file).subarray(0, 6).toString()).toBe('SIMPLE');
  });

  it('describes its parameters (FORMAT=METADATA) and validates custom ones', async () => {
    const described = await sia.describeParameters();
    const exptime = described.find((p) => p.name === 'exptime');
    expect(exptime).toMatchObject({ datatype: 'char', unit: 's', ucd: 'time.duration;obs.exposure', min: 30, max: 90, standard: false });
    expect(described.find((p) => p.name === 'INTERSECT')).toMatchObject({ options: ['OVERLAPS', 'COVERS', 'ENCLOSED', 'CENTER'], standard: true });
    const r = await sia.search([152.5, 2.5], 0.1, { params: { exptime: '60/90' }, validate: true });
    expect(r.records.map((x) => x.get('exptime')).sort()).toEqual([60, 90]);
    await expect(sia.search([152.5, 2.5], 0.1, { params: { exptme: 60 }, validate: true })).rejects.toThrow(/has no parameter "exptme"/);
    await expect(sia.search([152.5, 2.5], 0.1, { params: { exptime: 500 }, validate: true })).rejects.toThrow(
      'parameter "exptime" must be within [30, 90], got 500',
    );
    await expect(sia.search([152.5, 2.5], 0.1, { params: { INTERSECT: 'INSIDE' }, validate: true })).rejects.toThrow(
      'parameter "INTERSECT" must be one of OVERLAPS, COVERS, ENCLOSED, CENTER; got "INSIDE"',
    );
  });
});

describe('SIA 2', () => {
  const sia2 = new SIA2Service(tb.sia2);

  it('searches by CIRCLE, RANGE and POLYGON', async () => {
    const circle = await sia2.search({ pos: { circle: [152.5, 2.5, 0.1] } });
    const range = await sia2.search({ pos: { range: [157, 158, 7, 8] } });
    const polygon = await sia2.search({ pos: { polygon: [[359.9, -30.1], [0.1, -30.1], [0.1, -29.9], [359.9, -29.9]] } });
    const dids = (r: typeof circle) => r.records.map((x) => x.obsPublisherDid).sort();
    expect(dids(circle)).toEqual(['f1_H', 'f1_J', 'f1_Ks'].map((n) => `ivo://vokit.test/~?vokit/data/images/${n}.fits`));
    expect(dids(range)).toEqual(['f2_H', 'f2_J', 'f2_Ks'].map((n) => `ivo://vokit.test/~?vokit/data/images/${n}.fits`));
    expect(dids(polygon)).toEqual(['ivo://vokit.test/~?vokit/data/images/wrap_Ks.fits']);
  });

  it('finds the cube by BAND and data product type, ORs repeated POS', async () => {
    const cube = await sia2.search({ band: [6.1e-7, 6.2e-7], dptype: 'cube' });
    expect(cube.records.map((x) => [x.obsPublisherDid, x.dataproductType, x.emMin, x.emMax])).toEqual([
      ['ivo://vokit.test/~?vokit/data/cube/cube1.fits', 'cube', 6e-7, 6.31e-7],
    ]);
    const both = await sia2.search({ pos: [{ circle: [152.5, 2.5, 0.1] }, { circle: [157.5, 7.5, 0.1] }], maxrec: 100 });
    expect(both.length).toBe(6);
  });

  it('discovers the query endpoint from the capabilities of a base URL', async () => {
    const found = await SIA2Service.discover(`${tb.base}/__system__/siap2/sitewide/`);
    expect(found.baseurl).toBe(`${tb.base}/__system__/siap2/sitewide/siap2.xml?`);
    const r = await found.search({ pos: { circle: [0, -30, 0.01] } });
    expect(r.records.map((x) => x.obsPublisherDid)).toEqual(['ivo://vokit.test/~?vokit/data/images/wrap_Ks.fits']);
  });

  it('sets overflow at MAXREC', async () => {
    const r = await sia2.search({ dptype: 'image', maxrec: 2 });
    expect(r.length).toBe(2);
    expect(r.overflow).toBe(true);
  });
});

describe('SSA', () => {
  const ssa = new SSAService(tb.ssa);

  it('finds the five spectra and follows the access URL (301) to an SDM VOTable', async () => {
    const r = await ssa.search([155, 5], { diameter: 20 });
    expect(r.length).toBe(5);
    expect(r.records.map((x) => x.format)).toEqual(Array(5).fill('application/x-votable+xml'));
    const url = r.records[0].getdataurl()!;
    expect(url).toMatch(new RegExp(`^${tb.base}/getproduct/vokit/data/spectra/spec\\d\\.fits$`));
    const dataset = await getdataset(r.records[0]);
    expect(dataset.url).toMatch(/\/vokit\/q\/sdl\/dlget\?ID=/);
    const sdm = await parseVOTable(dataset.body);
    const table = sdm.resources[0].tables[0];
    expect(table.rowCount).toBe(1000);
    expect(table.fields.map((f) => f.name)).toEqual(['spectral', 'flux']);
    expect(table.columns[0].get(0)).toBe(4000);
    expect(table.columns[0].get(999)).toBe(6997);
  });

  it('narrows by BAND and TIME', async () => {
    const inBand = await ssa.search([155, 5], { diameter: 20, band: [5e-7, 6e-7] });
    expect(inBand.length).toBe(5);
    const outOfBand = await ssa.search([155, 5], { diameter: 20, band: [1e-6, 2e-6] });
    expect(outOfBand.length).toBe(0);
    const early = await ssa.search([155, 5], { diameter: 20, time: [new Date('2023-01-01T00:00:00Z'), new Date('2023-02-15T00:00:00Z')] });
    expect(early.length).toBe(2); // spec1 on 2023-01-02, spec2 on 2023-02-03
  });

  it('passes FORMAT (the spectra are VOTables, none is FITS)', async () => {
    const votables = await ssa.search([155, 5], { diameter: 20, format: 'votable' });
    expect(votables.queryUrl).toBe(`${tb.ssa}?REQUEST=queryData&POS=155%2C5&SIZE=20&FORMAT=votable`);
    expect(votables.length).toBe(5);
    expect((await ssa.search([155, 5], { diameter: 20, format: 'fits' })).length).toBe(0);
  });

  it('describes its parameters', async () => {
    const names = (await ssa.describeParameters()).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['POS', 'SIZE', 'BAND', 'TIME', 'FORMAT', 'TARGETNAME', 'FLUXCALIB']));
  });
});

describe('SLAP', () => {
  it('lists the lines between 650 and 670 nm', async () => {
    const r = await new SLAPService(tb.slap).search([6.5e-7, 6.7e-7]);
    expect(r.records.map((x) => [x.title, x.species, x.wavelength]).sort()).toEqual([
      ['H alpha', 'H', 6.5628e-7],
      ['[N II] 6548', 'N', 6.54805e-7],
      ['[N II] 6584', 'N', 6.58345e-7],
    ]);
  });

  it('describes its parameters', async () => {
    const described = await new SLAPService(tb.slap).describeParameters();
    expect(described.find((p) => p.name.toUpperCase() === 'WAVELENGTH')).toMatchObject({ standard: true, unit: 'm' });
  });

  it('filters by element', async () => {
    const r = await new SLAPService(tb.slap).search([3e-7, 1e-5], { chemicalElement: 'Na' });
    expect(r.records.map((x) => x.title).sort()).toEqual(['Na D1', 'Na D2']);
  });
});
