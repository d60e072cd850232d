import { describe, expect, it } from 'vitest';
import {
  MTYPES,
  SampProtocolError,
  createMessage,
  decodeSampBoolean,
  errorResponse,
  findSubscription,
  highlightRowMessage,
  isMType,
  isMTypePattern,
  loadImageMessage,
  loadSpectrumMessage,
  loadTableMessage,
  mtypeMatches,
  okResponse,
  parseHighlightRow,
  parseLoadTable,
  parsePointAtSky,
  parseSelectRowList,
  pingMessage,
  pointAtSkyMessage,
  selectRowListMessage,
  toSampMessage,
  toSampValue,
  warningResponse,
} from '../src/index.js';

describe('MTypes and subscriptions (SAMP 1.3 §3.6, §3.7)', () => {
  it('matches wildcards', () => {
    expect(mtypeMatches('*', 'table.load.votable')).toBe(true);
    expect(mtypeMatches('table.*', 'table.load.votable')).toBe(true);
    expect(mtypeMatches('table.load.*', 'table.load.votable')).toBe(true);
    expect(mtypeMatches('table.*', 'tables.load')).toBe(false);
    expect(mtypeMatches('table.load.votable', 'table.load.votable')).toBe(true);
    expect(mtypeMatches('table.load', 'table.load.votable')).toBe(false);
    expect([isMType('a.b-c_1'), isMType('a..b'), isMType('a.*')]).toEqual([true, false, false]);
    expect([isMTypePattern('*'), isMTypePattern('a.b.*'), isMTypePattern('a*'), isMTypePattern('*.a')]).toEqual([true, true, false, false]);
  });

  it('finds the most specific subscription', () => {
    const subs = { '*': { w: 'all' }, 'table.*': { w: 'table' }, 'table.load.votable': { w: 'exact' } };
    expect(findSubscription(subs, 'table.load.votable')).toEqual({ w: 'exact' });
    expect(findSubscription(subs, 'table.highlight.row')).toEqual({ w: 'table' });
    expect(findSubscription(subs, 'image.load.fits')).toEqual({ w: 'all' });
    expect(findSubscription({ 'table.*': {} }, 'image.load.fits')).toBeUndefined();
  });
});

describe('typed MType helpers', () => {
  it('build messages with SAMP-encoded parameters', () => {
    expect(loadTableMessage({ url: 'http://h/t.vot', 'table-id': 't1' })).toEqual({
      'samp.mtype': 'table.load.votable',
      'samp.params': { url: 'http://h/t.vot', 'table-id': 't1' },
    });
    expect(highlightRowMessage({ tableId: 't1', row: 17 })).toEqual({ 'samp.mtype': 'table.highlight.row', 'samp.params': { 'table-id': 't1', row: '17' } });
    expect(selectRowListMessage({ url: 'u', rows: [0, 2] })['samp.params']).toEqual({ url: 'u', 'row-list': ['0', '2'] });
    expect(loadImageMessage({ url: 'u', name: 'm31' })).toEqual({ 'samp.mtype': MTYPES.loadFitsImage, 'samp.params': { url: 'u', name: 'm31' } });
    expect(loadSpectrumMessage({ url: 'u' })['samp.params']).toEqual({ url: 'u', meta: {} });
    expect(pointAtSkyMessage({ ra: 83.633, dec: -5.5 })['samp.params']).toEqual({ ra: '83.633', dec: '-5.5' });
    expect(pingMessage()).toEqual({ 'samp.mtype': 'samp.app.ping', 'samp.params': {} });
    expect(() => highlightRowMessage({ row: -1 })).toThrow('row must be a non-negative integer, got -1');
    expect(() => pointAtSkyMessage({ ra: 0, dec: 91 })).toThrow(SampProtocolError);
  });

  it('read received parameters, checking them', () => {
    expect(parseHighlightRow({ 'table-id': 't', row: '5' })).toEqual({ tableId: 't', url: undefined, row: 5 });
    expect(parseSelectRowList({ url: 'u', 'row-list': ['3', '1'] })).toEqual({ tableId: undefined, url: 'u', rows: [3, 1] });
    expect(parsePointAtSky({ ra: '10.5', dec: '-2' })).toEqual({ ra: 10.5, dec: -2 });
    expect(parseLoadTable({ url: 'u', name: 'n' })).toEqual({ url: 'u', 'table-id': undefined, name: 'n' });
    expect(() => parseHighlightRow({ row: '1.5' })).toThrow('table.highlight.row row is not a row index: "1.5"');
    expect(() => parseSelectRowList({ 'row-list': '[0,2]' })).toThrow('row-list is not a list');
    expect(() => parseLoadTable({})).toThrow('table.load: no url parameter');
    expect(() => parsePointAtSky({ ra: 'x', dec: '1' })).toThrow('ra/dec are not numbers');
  });

  it('build responses and check messages', () => {
    expect(okResponse({ a: '1' })).toEqual({ 'samp.status': 'samp.ok', 'samp.result': { a: '1' } });
    expect(warningResponse('partly')).toEqual({ 'samp.status': 'samp.warning', 'samp.result': {}, 'samp.error': { 'samp.errortxt': 'partly' } });
    expect(errorResponse('no', { 'samp.code': '7', 'samp.usertxt': undefined })).toEqual({ 'samp.status': 'samp.error', 'samp.error': { 'samp.errortxt': 'no', 'samp.code': '7' } });
    expect(createMessage('a.b', { x: '1', y: undefined }, { 'x-extra': 'e' })).toEqual({ 'x-extra': 'e', 'samp.mtype': 'a.b', 'samp.params': { x: '1' } });
    expect(toSampMessage({ 'samp.mtype': 'a.b' })).toEqual({ 'samp.mtype': 'a.b', 'samp.params': {} });
    expect(() => toSampMessage({ 'samp.params': {} })).toThrow('message has no samp.mtype string');
    expect(toSampValue({ n: 3, b: true, l: [1.5, 'x'], z: null })).toEqual({ n: '3', b: '1', l: ['1.5', 'x'], z: '' });
    expect(['1', 'true', 'TRUE', '0', 'no', '', undefined].map(decodeSampBoolean)).toEqual([true, true, true, false, false, false, false]);
  });
});
