/**
 * Geo commands, differentially: each case runs on redis-server 7.0.15 and on sluice-server, in RESP2 and
 * RESP3, and the raw reply bytes must be equal. Covers GEOADD's scores (read back with ZSCORE), GEOPOS,
 * GEOHASH and GEODIST, every search shape and option of GEORADIUS, GEORADIUSBYMEMBER (and their _RO
 * forms), GEOSEARCH and GEOSEARCHSTORE, what STORE, STOREDIST and GEOSEARCHSTORE store, every error in
 * the order redis-server checks them, members at equal distances (sorted fully or partly with COUNT),
 * scores written with ZADD that are no geohash, the poles and the antimeridian, seeded random points over
 * the globe and searches among them, key positions (COMMAND GETKEYS), and the keyspace notifications.
 */
import { connectRaw, type RawClient, type RunningServer, startRedis, startSluice } from '@sluice/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkTexts, openPair, type Random, random } from './differential.js';
import { entries, parse } from './resp.js';
import { HOOK_TIMEOUT_MS, TEST_TIMEOUT_MS } from './targets.js';

type Args = readonly string[];

const SICILY = ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'];

/** Scores a client may give a geo set's members with ZADD: past 52 bits, negative, fractional, infinite. */
const ODD_SCORES: Record<string, string> = {
  max52: '4503599627370495',
  two52: '4503599627370496',
  neg: '-1',
  negfrac: '-0.5',
  frac: '1.5',
  zero: '0',
  huge: '1e300',
  pinf: 'inf',
  ninf: '-inf',
  bigneg: '-1e20',
  llmin: '-9223372036854775808',
  two63: '9223372036854775808',
  threefourths: '13835058055282163712',
  two64: '18446744073709551616',
  odd53: '9007199254740993',
  b50: '1125899906842624',
  b51: '2251799813685248',
  negtwo52: '-4503599627370496',
};

const CASES: Record<string, readonly Args[]> = {
  'GEOADD: scores, NX, XX, CH, limits and errors in their order': [
    SICILY,
    ['ZSCORE', 'g', 'Palermo'],
    ['ZSCORE', 'g', 'Catania'],
    ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'],
    ['GEOADD', 'g', 'CH', '13.361389', '38.115556', 'Palermo', '1', '1', 'Catania', '2', '2', 'new'],
    ['GEOADD', 'g', 'NX', 'CH', '5', '5', 'Palermo', '5', '5', 'nx'],
    ['GEOADD', 'g', 'XX', 'CH', '6', '6', 'Palermo', '6', '6', 'xx'],
    ['GEOADD', 'g', 'xx', 'nx', '1', '1', 'a'],
    ['GEOADD', 'g', 'ch', 'CH', 'Nx', '7', '7', 'Palermo'],
    ['GEOADD', 'g', 'CH', '1', '1', 'dup', '2', '2', 'dup'],
    ['ZRANGE', 'g', '0', '-1', 'WITHSCORES'],
    ['GEOADD', 'fresh', 'XX', '1', '1', 'a'],
    ['EXISTS', 'fresh'],
    ['GEOADD', 'g', 'NX', 'CH', 'CH'],
    ['GEOADD', 'g', 'NX', 'XX', 'CH'],
    ['GEOADD', 'g', '1', '1', 'a', '2'],
    ['GEOADD', 'g', '1', '1', 'a', '2', '2'],
    ['GEOADD', 'g', 'GT', '1', '1', 'a'],
    ['GEOADD', 'g', 'INCR', '1', '1', 'a'],
    ['GEOADD', 'g', '1', '1', 'a', '200', '1', 'b'],
    ['GEOADD', 'g', '1', '1', 'a', 'x', '1', 'b'],
    ['GEOADD', 'g', '1', '1', 'a', '1', 'x', 'b'],
    ['GEOADD', 'g', 'x', '200', 'a'],
    ['GEOADD', 'g', '200', 'x', 'a'],
    ['GEOADD', 'g', '180.0000001', '0', 'a'],
    ['GEOADD', 'g', '-180.0000001', '0', 'a'],
    ['GEOADD', 'g', '0', '85.05112879', 'a'],
    ['GEOADD', 'g', '0', '-85.05112879', 'a'],
    ['GEOADD', 'g', '0', '86', 'a'],
    ['GEOADD', 'g', '-0', '-90', 'a'],
    ['GEOADD', 'g', '1e300', '1', 'a'],
    ['GEOADD', 'g', '-1e300', '-1e-300', 'a'],
    ['GEOADD', 'g', 'inf', '1', 'a'],
    ['GEOADD', 'g', '-inf', '1', 'a'],
    ['GEOADD', 'g', '1', '-inf', 'a'],
    ['GEOADD', 'g', '0.0000005', '85.0511288', 'a'],
    ['GEOADD', 'g', '123.4567894999', '-85.0511287801', 'a'],
    ['GEOADD', 'g', 'nan', '1', 'a'],
    ['GEOADD', 'g', ' 1', '1', 'a'],
    ['GEOADD', 'g', '1 ', '1', 'a'],
    ['GEOADD', 'g', '', '1', 'a'],
    ['GEOADD', 'g', '1e400', '1', 'a'],
    ['GEOADD', 'g', '1\u0000', '1', 'a'],
    ['GEOADD', 'g', '0x10', '0x1p-2', 'hex'],
    ['GEOADD', 'g', '1', '1'],
    ['GEOADD', 'g'],
    ['SET', 's', 'x'],
    ['GEOADD', 's', '1', '1', 'a'],
    ['GEOADD', 's', '200', '1', 'a'],
    ['GEOADD', 's', 'NX', 'XX', '1', '1', 'a'],
    [
      'GEOADD',
      'limits',
      '180',
      '85.05112878',
      'ne',
      '-180',
      '-85.05112878',
      'sw',
      '180',
      '-85.05112878',
      'se',
      '-180',
      '85.05112878',
      'nw',
      '0',
      '0',
      'zero',
      '-0',
      '-0',
      'nzero',
      '1e-300',
      '-1e-300',
      'tiny',
      '179.99999999',
      '85.05112877',
      'edge',
      '-179.999999999999',
      '0.000000000001',
      'edge2',
    ],
    ['ZRANGE', 'limits', '0', '-1', 'WITHSCORES'],
    ['GEOPOS', 'limits', 'ne', 'sw', 'se', 'nw', 'zero', 'nzero', 'tiny', 'edge', 'edge2'],
    ['GEOHASH', 'limits', 'ne', 'sw', 'se', 'nw', 'zero', 'nzero', 'tiny', 'edge', 'edge2'],
    ['GEODIST', 'limits', 'ne', 'sw'],
    ['GEODIST', 'limits', 'ne', 'nw'],
    ['GEODIST', 'limits', 'se', 'sw', 'km'],
    ['GEODIST', 'limits', 'edge', 'edge2', 'mi'],
    ['OBJECT', 'ENCODING', 'limits'],
  ],
  'GEOPOS, GEOHASH and GEODIST: units, missing members, keys and types': [
    SICILY,
    ['GEOPOS', 'g', 'Palermo', 'nope', 'Catania'],
    ['GEOPOS', 'g'],
    ['GEOPOS', 'missing', 'a', 'b'],
    ['GEOHASH', 'g', 'Palermo', 'nope', 'Catania'],
    ['GEOHASH', 'g'],
    ['GEOHASH', 'missing', 'a'],
    ['GEODIST', 'g', 'Palermo', 'Catania'],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'm'],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'KM'],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'ft'],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'Mi'],
    ['GEODIST', 'g', 'Palermo', 'Palermo'],
    ['GEODIST', 'g', 'Palermo', 'nope'],
    ['GEODIST', 'g', 'nope', 'Palermo'],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'yd'],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'km\u0000x'],
    ['GEODIST', 'g', 'Palermo', 'Catania', ''],
    ['GEODIST', 'g', 'Palermo', 'Catania', 'km', 'extra'],
    ['GEODIST', 'missing', 'a', 'b'],
    ['GEODIST', 'missing', 'a', 'b', 'yd'],
    ['GEODIST', 'missing', 'a', 'b', 'km', 'x'],
    ['SET', 's', 'x'],
    ['GEODIST', 's', 'a', 'b'],
    ['GEODIST', 's', 'a', 'b', 'yd'],
    ['GEOPOS', 's', 'a'],
    ['GEOHASH', 's', 'a'],
    ['GEOPOS', 's'],
  ],
  'scores ZADD wrote that are no geohash': [
    ['ZADD', 'z', ...Object.entries(ODD_SCORES).flatMap(([member, score]) => [score, member])],
    ['GEOPOS', 'z', ...Object.keys(ODD_SCORES)],
    ['GEOHASH', 'z', ...Object.keys(ODD_SCORES)],
    ['GEODIST', 'z', 'max52', 'zero'],
    ['GEODIST', 'z', 'neg', 'zero', 'km'],
    ['GEODIST', 'z', 'frac', 'b51', 'ft'],
    ['GEORADIUSBYMEMBER', 'z', 'zero', '100', 'km', 'WITHHASH', 'WITHCOORD', 'WITHDIST'],
    ['GEORADIUSBYMEMBER', 'z', 'neg', '100', 'km', 'WITHHASH', 'WITHCOORD'],
    ['GEOSEARCH', 'z', 'FROMMEMBER', 'two52', 'BYBOX', '1000', '1000', 'km', 'WITHHASH', 'ASC'],
    ['GEOSEARCH', 'z', 'FROMLONLAT', '0', '0', 'BYRADIUS', '20000', 'km', 'WITHHASH', 'WITHDIST', 'ASC'],
  ],
  'GEORADIUS and GEORADIUS_RO: options, replies and errors in their order': [
    SICILY,
    ['GEOADD', 'g', '13.583333', '37.316667', 'Agrigento', '12.758489', '38.788135', 'edge'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'ASC'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'DESC'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'WITHDIST'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'WITHCOORD'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'WITHHASH'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'WITHHASH', 'WITHCOORD', 'WITHDIST', 'DESC'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'withdist', 'withdist', 'asc', 'desc'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '1'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '2', 'DESC', 'WITHDIST'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '1', 'ANY'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '2', 'ANY', 'ASC'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '100'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '9223372036854775807'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '3', 'COUNT', '1'],
    ['GEORADIUS', 'g', '15', '37', '200000', 'm', 'WITHDIST'],
    ['GEORADIUS', 'g', '15', '37', '656168', 'ft', 'WITHDIST'],
    ['GEORADIUS', 'g', '15', '37', '124.3', 'MI', 'WITHDIST'],
    ['GEORADIUS', 'g', '15', '37', '0', 'km'],
    ['GEORADIUS', 'g', '15.087269', '37.502669', '0', 'm', 'WITHDIST'],
    ['GEORADIUS', 'g', '15', '37', '1e-300', 'km'],
    ['GEORADIUS', 'g', '15', '37', 'inf', 'km', 'WITHDIST'],
    ['GEORADIUS', 'g', '15', '37', '-0', 'km'],
    ['GEORADIUS', 'g', '15', '37', '50000', 'km', 'WITHDIST', 'ASC'],
    ['GEORADIUS_RO', 'g', '15', '37', '200', 'km', 'WITHDIST', 'ASC', 'COUNT', '2'],
    ['GEORADIUS', 'missing', '15', '37', '200', 'km'],
    ['GEORADIUS', 'missing', '15', '37', '200', 'km', 'COUNT', '1'],
    ['GEORADIUS', 'missing', '200', '37', '200', 'km'],
    ['GEORADIUS', 'missing', '15', '37', '200', 'km', 'bogus'],
    ['GEORADIUS', 'g', '200', '37', '200', 'km'],
    ['GEORADIUS', 'g', 'x', '37', 'x', 'km'],
    ['GEORADIUS', 'g', '15', 'x', '200', 'km'],
    ['GEORADIUS', 'g', '15', '37', 'x', 'km'],
    ['GEORADIUS', 'g', '15', '37', '', 'km'],
    ['GEORADIUS', 'g', '15', '37', 'nan', 'km'],
    ['GEORADIUS', 'g', '15', '37', '-1', 'km'],
    ['GEORADIUS', 'g', '15', '37', '-1', 'yd'],
    ['GEORADIUS', 'g', '15', '37', '200', 'yd'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'bogus'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'withdist\u0000x'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '0'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '-1'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', 'x'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '1.5'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'COUNT', '0', 'bogus'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'ANY'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'ANY', 'bogus'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'd', 'WITHDIST'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'WITHHASH', 'STOREDIST', 'd'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'd', 'ANY'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'FROMMEMBER', 'Palermo'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STOREDIST'],
    ['GEORADIUS_RO', 'g', '15', '37', '200', 'km', 'STORE', 'd'],
    ['GEORADIUS_RO', 'g', '15', '37', '200', 'km', 'STOREDIST', 'd'],
    ['GEORADIUS', 'g', '15', '37', '200'],
    ['SET', 's', 'x'],
    ['GEORADIUS', 's', '15', '37', '200', 'km'],
    ['GEORADIUS', 's', '200', '37', '200', 'yd', 'bogus'],
    ['GEORADIUS_RO', 's', '15', '37', '200', 'km'],
  ],
  'GEORADIUSBYMEMBER and GEORADIUSBYMEMBER_RO: options, replies and errors in their order': [
    SICILY,
    ['GEOADD', 'g', '13.583333', '37.316667', 'Agrigento'],
    ['GEORADIUSBYMEMBER', 'g', 'Agrigento', '100', 'km'],
    ['GEORADIUSBYMEMBER', 'g', 'Agrigento', '200', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH'],
    ['GEORADIUSBYMEMBER', 'g', 'Agrigento', '200', 'km', 'COUNT', '2', 'DESC'],
    ['GEORADIUSBYMEMBER', 'g', 'Agrigento', '200', 'km', 'COUNT', '2', 'ANY', 'DESC'],
    ['GEORADIUSBYMEMBER', 'g', 'Palermo', '0', 'km', 'WITHDIST'],
    ['GEORADIUSBYMEMBER_RO', 'g', 'Catania', '200', 'mi', 'WITHDIST', 'ASC'],
    ['GEORADIUSBYMEMBER', 'g', 'nope', '100', 'km'],
    ['GEORADIUSBYMEMBER', 'g', 'nope', '-100', 'yd'],
    ['GEORADIUSBYMEMBER', 'g', 'Palermo', '-100', 'km'],
    ['GEORADIUSBYMEMBER', 'g', 'Palermo', 'x', 'km'],
    ['GEORADIUSBYMEMBER', 'g', 'Palermo', '100', 'yd'],
    ['GEORADIUSBYMEMBER', 'g', 'Palermo', '100', 'km', 'bogus'],
    ['GEORADIUSBYMEMBER', 'g', 'Palermo', '100', 'km', 'STORE', 'd', 'WITHCOORD'],
    ['GEORADIUSBYMEMBER_RO', 'g', 'Palermo', '100', 'km', 'STORE', 'd'],
    ['GEORADIUSBYMEMBER', 'missing', 'nope', '100', 'km'],
    ['GEORADIUSBYMEMBER', 'missing', 'nope', '-100', 'yd'],
    ['GEORADIUSBYMEMBER', 'missing', 'nope', '100', 'km', 'bogus'],
    ['GEORADIUSBYMEMBER', 'missing', 'nope', '100', 'km', 'WITHDIST', 'STORE', 'd'],
    ['GEORADIUSBYMEMBER', 'missing', 'nope', '100', 'km', 'ANY'],
    ['GEORADIUSBYMEMBER', 'missing', 'nope', '100', 'km', 'COUNT', '0'],
    ['GEORADIUSBYMEMBER', 'missing', 'nope', '100', 'km', 'STORE', 'd'],
    ['GEORADIUSBYMEMBER_RO', 'missing', 'nope', '100', 'km'],
    ['SET', 's', 'x'],
    ['GEORADIUSBYMEMBER', 's', 'nope', '100', 'km'],
    ['GEORADIUSBYMEMBER_RO', 's', 'nope', '100', 'km'],
  ],
  'GEOSEARCH: shapes, options, replies and errors in their order': [
    SICILY,
    ['GEOADD', 'g', '13.583333', '37.316667', 'Agrigento', '12.758489', '38.788135', 'edge'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'ASC'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '200', 'km', 'DESC', 'WITHDIST'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHCOORD', 'WITHDIST'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'WITHHASH'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '200', '100', 'km', 'WITHDIST'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '0', '0', 'km'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Catania', 'BYBOX', '0', '0', 'km', 'WITHDIST'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Catania', 'BYBOX', 'inf', '1', 'm'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Catania', 'BYBOX', '1', 'inf', 'm'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Catania', 'BYBOX', 'inf', 'inf', 'mi', 'WITHDIST'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '300', '300', 'mi', 'COUNT', '2'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '300', '300', 'mi', 'COUNT', '2', 'ANY'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '300', '300', 'mi', 'COUNT', '2', 'ANY', 'DESC'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'ft', 'COUNT', '1'],
    [
      'GEOSEARCH',
      'g',
      'fromlonlat',
      '15',
      '37',
      'byradius',
      '200',
      'KM',
      'withdist',
      'WithHash',
      'count',
      '5',
    ],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'FROMLONLAT', '13', '38', 'BYRADIUS', '50', 'km'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Catania', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '50', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'BYRADIUS', '1', 'm'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1', 'm', 'BYBOX', '900', '900', 'km'],
    ['GEOSEARCH', 'g', 'BYRADIUS', '200', 'km', 'FROMLONLAT', '15', '37', 'ASC'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'BYBOX', '1', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1', 'km', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'nope', 'BYRADIUS', '-1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '200', '37', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', 'x', '37', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', 'x', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '-1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'yd'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', 'x', 'y', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '1', 'y', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '-1', 'y', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '-1', '1', 'yd'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '-1', 'km'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1', 'yd'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'g', 'FROMMEMBER', 'Palermo', 'WITHDIST', 'COUNT', '1'],
    ['GEOSEARCH', 'g', 'BYRADIUS', '1', 'km', 'WITHDIST'],
    ['GeoSearch', 'g', 'BYRADIUS', '1', 'km', 'WITHDIST'],
    ['GeoSearch', 'g', 'FROMMEMBER', 'Palermo', 'WITHDIST', 'ASC'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'ANY'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'COUNT', '0'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'COUNT', 'x'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'STORE', 'd'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'STOREDIST'],
    ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km', 'bogus'],
    ['GEOSEARCH', 'missing', 'FROMMEMBER', 'nope', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'missing', 'FROMMEMBER', 'nope', 'BYBOX', '-1', '1', 'km'],
    ['GEOSEARCH', 'missing', 'FROMLONLAT', '200', '1', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 'missing', 'FROMMEMBER', 'nope', 'WITHDIST'],
    ['GEOSEARCH', 'missing', 'BYRADIUS', '1', 'km', 'ANY'],
    ['GEOSEARCH', 'missing', 'FROMMEMBER', 'a', 'BYRADIUS', '1', 'km', 'ANY'],
    ['SET', 's', 'x'],
    ['GEOSEARCH', 's', 'FROMLONLAT', '15', '37', 'BYRADIUS', '1', 'km'],
    ['GEOSEARCH', 's', 'FROMLONLAT', '200', '37', 'BYRADIUS', '1', 'yd'],
  ],
  'STORE, STOREDIST and GEOSEARCHSTORE: what is stored, and errors': [
    SICILY,
    ['GEOADD', 'g', '13.583333', '37.316667', 'Agrigento'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'd'],
    ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'],
    ['OBJECT', 'ENCODING', 'd'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STOREDIST', 'd', 'COUNT', '2', 'DESC'],
    ['@scores', 'd'],
    ['GEORADIUS', 'g', '15', '37', '200', 'mi', 'STOREDIST', 'd2', 'STORE', 'd3'],
    ['EXISTS', 'd2'],
    ['ZRANGE', 'd3', '0', '-1', 'WITHSCORES'],
    ['GEORADIUS', 'g', '15', '37', '200', 'ft', 'STORE', 'd3', 'STOREDIST', 'd2'],
    ['@scores', 'd2'],
    ['GEORADIUSBYMEMBER', 'g', 'Palermo', '100', 'km', 'STORE', 'd4', 'COUNT', '1', 'ANY'],
    ['ZRANGE', 'd4', '0', '-1', 'WITHSCORES'],
    ['GEORADIUSBYMEMBER', 'g', 'Palermo', '300', 'km', 'STOREDIST', 'd4', 'ASC'],
    ['@scores', 'd4'],
    ['SET', 'str', 'x'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'str'],
    ['TYPE', 'str'],
    ['GEORADIUS', 'g', '15', '37', '1', 'm', 'STORE', 'str'],
    ['EXISTS', 'str'],
    ['GEORADIUS', 'g', '15', '37', '1', 'm', 'STORE', 'str'],
    ['GEORADIUS', 'missing', '15', '37', '1', 'm', 'STORE', 'd'],
    ['EXISTS', 'd'],
    ['GEORADIUSBYMEMBER', 'missing', 'x', '1', 'm', 'STOREDIST', 'd3'],
    ['EXISTS', 'd3'],
    ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'g'],
    ['ZRANGE', 'g', '0', '-1', 'WITHSCORES'],
    SICILY,
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km'],
    ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200', 'km', 'STOREDIST'],
    ['@scores', 'dst'],
    [
      'GEOSEARCHSTORE',
      'dst',
      'g',
      'FROMMEMBER',
      'Palermo',
      'BYBOX',
      '500',
      '500',
      'mi',
      'STOREDIST',
      'DESC',
      'COUNT',
      '1',
    ],
    ['@scores', 'dst'],
    [
      'GEOSEARCHSTORE',
      'dst',
      'g',
      'FROMMEMBER',
      'Palermo',
      'BYBOX',
      '500',
      '500',
      'ft',
      'STOREDIST',
      'STOREDIST',
    ],
    ['@scores', 'dst'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'm'],
    ['EXISTS', 'dst'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'm', 'COUNT', '1', 'ANY'],
    ['GEOSEARCHSTORE', 'dst', 'missing', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'm'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'm', 'WITHDIST'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'm', 'WITHHASH', 'ANY'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'BYBOX', '1', '1', 'm', 'WITHCOORD'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'BYBOX', '1', '1', 'm', 'STOREDIST'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMMEMBER', 'Palermo', 'STOREDIST', 'ASC'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'm', 'STORE', 'x'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'm', 'ANY'],
    ['GEOSEARCHSTORE', 'dst', 'g', 'FROMMEMBER', 'nope', 'BYBOX', '1', '1', 'm'],
    ['GeoSearchStore', 'dst', 'g', 'FROMMEMBER', 'Palermo', 'COUNT', '1'],
    ['SET', 's', 'x'],
    ['GEOSEARCHSTORE', 'dst', 's', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'm'],
    ['GEOSEARCHSTORE', 's', 'g', 'FROMMEMBER', 'Palermo', 'BYBOX', '1', '1', 'km'],
    ['TYPE', 's'],
    ['GEOSEARCHSTORE', 'dst', 'dst', 'FROMLONLAT', '1', '1', 'BYBOX', '1', '1', 'm'],
  ],
  'a large set stores as a skiplist, and a long member makes one': [
    [
      'GEOADD',
      'big',
      ...Array.from({ length: 140 }, (_, i) => [
        String(-10 + i * 0.1),
        String(40 + (i % 7) * 0.01),
        `m${i}`,
      ]).flat(),
    ],
    ['OBJECT', 'ENCODING', 'big'],
    ['GEOSEARCHSTORE', 'dst', 'big', 'FROMLONLAT', '-5', '40', 'BYRADIUS', '2000', 'km'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['GEOSEARCHSTORE', 'dst', 'big', 'FROMLONLAT', '-5', '40', 'BYRADIUS', '50', 'km'],
    ['OBJECT', 'ENCODING', 'dst'],
    ['GEOADD', 'long', '1', '1', 'L'.repeat(65), '1.001', '1', 'short'],
    ['OBJECT', 'ENCODING', 'long'],
    ['GEORADIUS', 'long', '1', '1', '1', 'km', 'STORE', 'dst2'],
    ['OBJECT', 'ENCODING', 'dst2'],
    ['GEORADIUS', 'long', '1', '1', '1', 'km', 'STORE', 'dst2', 'COUNT', '1', 'DESC'],
    ['OBJECT', 'ENCODING', 'dst2'],
  ],
  'members at equal distances: full sorts and partial ones (COUNT)': [
    [
      'GEOADD',
      'ties',
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].flatMap((m) => ['10', '10', m]),
      ...['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9'].flatMap((m) => ['10.01', '10', m]),
      ...['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'].flatMap((m) => ['9.99', '10', m]),
      ...['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10'].flatMap((m) => ['10', '10.01', m]),
      ...['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11'].flatMap((m) => [
        '10',
        '9.99',
        m,
      ]),
    ],
    ['GEOSEARCH', 'ties', 'FROMLONLAT', '10', '10', 'BYRADIUS', '10', 'km', 'ASC'],
    ['GEOSEARCH', 'ties', 'FROMLONLAT', '10', '10', 'BYRADIUS', '10', 'km', 'DESC'],
    ...[1, 2, 3, 5, 7, 8, 12, 13, 20, 25, 30, 41, 49].flatMap((n) => [
      ['GEOSEARCH', 'ties', 'FROMLONLAT', '10', '10', 'BYRADIUS', '10', 'km', 'COUNT', String(n)],
      ['GEOSEARCH', 'ties', 'FROMLONLAT', '10', '10', 'BYRADIUS', '10', 'km', 'COUNT', String(n), 'DESC'],
      [
        'GEOSEARCH',
        'ties',
        'FROMLONLAT',
        '10.005',
        '10',
        'BYBOX',
        '30',
        '30',
        'km',
        'COUNT',
        String(n),
        'WITHDIST',
      ],
      ['GEORADIUS', 'ties', '10', '10', '5', 'km', 'COUNT', String(n), 'ANY'],
      ['GEORADIUS', 'ties', '10', '10', '5', 'km', 'COUNT', String(n), 'ANY', 'DESC'],
    ]),
  ],
  'the poles and the antimeridian': [
    [
      'GEOADD',
      'polar',
      '0',
      '85.05',
      'n0',
      '90',
      '85.05',
      'n90',
      '180',
      '85.05',
      'n180',
      '-90',
      '85.05',
      'nm90',
      '45',
      '84',
      'n45',
      '0',
      '-85.05',
      's0',
      '120',
      '-85.05112878',
      's120',
      '-120',
      '-84.5',
      'sm120',
      '179.9999',
      '0',
      'east',
      '-179.9999',
      '0',
      'west',
      '180',
      '0',
      'e180',
      '-180',
      '0',
      'w180',
      '179.5',
      '10',
      'east10',
      '-179.5',
      '-10',
      'west10',
    ],
    ['GEOSEARCH', 'polar', 'FROMLONLAT', '0', '85', 'BYRADIUS', '500', 'km', 'ASC', 'WITHDIST', 'WITHCOORD'],
    ['GEOSEARCH', 'polar', 'FROMLONLAT', '0', '85.05112878', 'BYRADIUS', '2000', 'km', 'ASC', 'WITHDIST'],
    ['GEOSEARCH', 'polar', 'FROMLONLAT', '180', '85.05112878', 'BYBOX', '4000', '400', 'km', 'ASC'],
    ['GEOSEARCH', 'polar', 'FROMLONLAT', '0', '-85.05112878', 'BYRADIUS', '3000', 'km', 'ASC', 'WITHDIST'],
    ['GEOSEARCH', 'polar', 'FROMMEMBER', 's120', 'BYBOX', '2000', '2000', 'km', 'WITHDIST', 'WITHHASH'],
    ['GEOSEARCH', 'polar', 'FROMLONLAT', '180', '0', 'BYRADIUS', '100', 'km', 'ASC', 'WITHDIST'],
    ['GEOSEARCH', 'polar', 'FROMLONLAT', '-180', '0', 'BYRADIUS', '100', 'km', 'ASC', 'WITHDIST'],
    ['GEOSEARCH', 'polar', 'FROMLONLAT', '179.99', '0', 'BYBOX', '200', '200', 'km', 'ASC', 'WITHDIST'],
    ['GEOSEARCH', 'polar', 'FROMLONLAT', '-179.99', '5', 'BYBOX', '4000', '3000', 'km', 'ASC'],
    ['GEOSEARCH', 'polar', 'FROMMEMBER', 'east', 'BYRADIUS', '2000', 'km', 'ASC', 'WITHDIST'],
    ['GEORADIUSBYMEMBER', 'polar', 'n0', '20000', 'km', 'ASC', 'WITHDIST'],
    ['GEORADIUSBYMEMBER', 'polar', 'west', '20000', 'km', 'DESC', 'WITHDIST', 'COUNT', '3'],
    ['GEORADIUS', 'polar', '0', '0', '20037', 'km', 'ASC', 'WITHDIST'],
    ['GEODIST', 'polar', 'east', 'west'],
    ['GEODIST', 'polar', 'e180', 'w180'],
    ['GEODIST', 'polar', 'n0', 's0', 'km'],
    ['GEODIST', 'polar', 'n0', 'n180', 'mi'],
    ['GEODIST', 'polar', 'east10', 'west10'],
    ['GEOPOS', 'polar', 'n0', 'n180', 's120', 'e180', 'w180'],
    ['GEOHASH', 'polar', 'n0', 'n180', 's120', 'e180', 'w180', 'east', 'west'],
  ],
};

/** A coordinate as a client would write one: a few decimals, many, or a whole number. */
function coordinate(rand: Random, min: number, max: number): string {
  const x = min + rand.next() * (max - min);
  switch (rand.below(4)) {
    case 0:
      return x.toFixed(rand.below(7));
    case 1:
      return String(x);
    case 2:
      return String(Math.round(x));
    default:
      return x.toFixed(6);
  }
}

/** A point anywhere, or near a pole, or near the antimeridian. */
function point(rand: Random): [string, string] {
  switch (rand.below(5)) {
    case 0:
      return [coordinate(rand, -180, 180), coordinate(rand, 75, 85.05112878)];
    case 1:
      return [coordinate(rand, -180, 180), coordinate(rand, -85.05112878, -75)];
    case 2:
      return [
        rand.pick([coordinate(rand, 175, 180), coordinate(rand, -180, -175)]),
        coordinate(rand, -60, 60),
      ];
    default:
      return [coordinate(rand, -180, 180), coordinate(rand, -85.05112878, 85.05112878)];
  }
}

const UNITS = ['m', 'km', 'ft', 'mi', 'KM', 'Mi'];
const TO_METERS: Record<string, number> = { m: 1, km: 1000, ft: 0.3048, mi: 1609.34 };

/** A size in `unit` from about a meter to about half the Earth. */
function size(rand: Random, unit: string): string {
  const meters = 10 ** (rand.next() * 7.3);
  return String(Number((meters / (TO_METERS[unit.toLowerCase()] as number)).toPrecision(rand.below(6) + 1)));
}

describe('geo commands against redis-server and sluice-server', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  let redis: RunningServer;
  let sluice: RunningServer;
  beforeAll(async () => {
    [redis, sluice] = await Promise.all([startRedis(), startSluice()]);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await Promise.all([redis?.dispose(), sluice?.dispose()]);
  }, HOOK_TIMEOUT_MS);

  describe.each([2, 3] as const)('RESP%i', (proto) => {
    let r: RawClient;
    let s: RawClient;
    beforeEach(async () => {
      [r, s] = await openPair(redis, sluice, proto);
      return async () => {
        await Promise.all([r.close(), s.close()]);
      };
    });

    async function compare(step: Args, label: unknown = undefined): Promise<void> {
      if (step[0] === '@scores') return compareScores(step[1] as string, label);
      const [expected, actual] = [await r.call(...step), await s.call(...step)];
      expect({ label, step, reply: actual }).toEqual({ label, step, reply: expected });
    }

    /**
     * A sorted set STOREDIST wrote: the same members, each with the same distance but for its last
     * bits (see the file's header), compared as numbers.
     */
    async function compareScores(key: string, label: unknown): Promise<void> {
      const step = ['ZRANGE', key, '0', '-1', 'WITHSCORES'];
      const [expected, actual] = [await r.call(...step), await s.call(...step)];
      const scores = (raw: string): Record<string, number> => {
        const value = parse(raw);
        const pairs = proto === 3 ? (value as unknown[][]) : entries(value);
        return Object.fromEntries(pairs.map(([m, d]) => [String(m), Number(d)]));
      };
      const want = scores(expected);
      const got = scores(actual);
      expect({ label, key, members: Object.keys(got).sort() }).toEqual({
        label,
        key,
        members: Object.keys(want).sort(),
      });
      for (const [member, d] of Object.entries(want)) {
        expect({
          label,
          key,
          member,
          close: Math.abs((got[member] as number) - d) <= Math.abs(d) * 1e-14,
        }).toEqual({
          label,
          key,
          member,
          close: true,
        });
      }
    }

    it.each(Object.entries(CASES))('%s', async (_name, steps) => {
      for (const step of steps) await compare(step);
    });

    it('random points over the globe: scores, positions, hashes, distances and every search shape', async () => {
      const rand = random(proto === 2 ? 20261207 : 3);
      const members: string[] = [];
      // 2,400 points (a tree of several levels), a few of them twice at one place.
      for (let b = 0; b < 24; b++) {
        const args = ['GEOADD', 'world'];
        for (let k = 0; k < 100; k++) {
          const member = `p${b * 100 + k}`;
          const [lon, lat] =
            members.length > 0 && rand.below(20) === 0 ? (['1.5', '2.5'] as [string, string]) : point(rand);
          args.push(lon, lat, member);
          members.push(member);
        }
        await compare(args, b);
      }
      const member = (): string => rand.pick(members);
      for (let k = 0; k < 60; k++) {
        const some = [member(), member(), member(), 'nope'];
        await compare(['ZMSCORE', 'world', ...some], k);
        await compare(['GEOPOS', 'world', ...some], k);
        await compare(['GEOHASH', 'world', ...some], k);
        await compare(['GEODIST', 'world', member(), member(), rand.pick(UNITS)], k);
      }
      for (let k = 0; k < 250; k++) {
        const unit = rand.pick(UNITS);
        const from = rand.below(2) === 0 ? ['FROMMEMBER', member()] : ['FROMLONLAT', ...point(rand)];
        const by =
          rand.below(2) === 0
            ? ['BYRADIUS', size(rand, unit), unit]
            : ['BYBOX', size(rand, unit), size(rand, unit), unit];
        const options: string[] = [];
        for (const option of ['WITHDIST', 'WITHHASH', 'WITHCOORD'])
          if (rand.below(3) === 0) options.push(option);
        const order = rand.pick([[], [], ['ASC'], ['DESC']]);
        const count = rand.pick([
          [],
          [],
          ['COUNT', String(1 + rand.below(30))],
          ['COUNT', String(1 + rand.below(5)), 'ANY'],
        ]);
        const search = ['GEOSEARCH', 'world', ...from, ...by, ...order, ...count, ...options];
        await compare(search, k);
        const stored = ['GEOSEARCHSTORE', 'dst', 'world', ...from, ...by, ...order, ...count];
        const storeDist = rand.below(2) === 0;
        if (storeDist) stored.push('STOREDIST');
        await compare(stored, k);
        await compare(storeDist ? ['@scores', 'dst'] : ['ZRANGE', 'dst', '0', '-1', 'WITHSCORES'], k);
        // The older forms, with the same centre and radius.
        const radius = by[0] === 'BYRADIUS' ? [by[1] as string, unit] : [size(rand, unit), unit];
        const older =
          from[0] === 'FROMMEMBER'
            ? ['GEORADIUSBYMEMBER', 'world', from[1] as string, ...radius]
            : ['GEORADIUS', 'world', from[1] as string, from[2] as string, ...radius];
        await compare([...older, ...order, ...count, ...options], k);
        await compare([`${older[0]}_RO`, ...older.slice(1), ...order, ...count], k);
        const store = rand.pick(['STORE', 'STOREDIST']);
        await compare([...older, ...order, ...count, store, 'dst2'], k);
        await compare(
          store === 'STOREDIST' ? ['@scores', 'dst2'] : ['ZRANGE', 'dst2', '0', '-1', 'WITHSCORES'],
          k,
        );
      }
    });

    it('members moved and removed: searches still read only what is there', async () => {
      const rand = random(proto === 2 ? 77 : 78);
      const args = ['GEOADD', 'moving'];
      for (let k = 0; k < 500; k++) args.push(...point(rand), `m${k}`);
      await compare(args);
      for (let k = 0; k < 40; k++) {
        await compare(
          ['GEOADD', 'moving', rand.pick(['CH', 'XX', 'NX', 'CH']), ...point(rand), `m${rand.below(600)}`],
          k,
        );
        await compare(['ZREM', 'moving', `m${rand.below(600)}`, `m${rand.below(600)}`], k);
        const [lon, lat] = point(rand);
        const unit = rand.pick(UNITS);
        await compare(['GEORADIUS', 'moving', lon, lat, size(rand, unit), unit, 'WITHDIST', 'ASC'], k);
      }
      await compare(['ZRANGE', 'moving', '0', '-1', 'WITHSCORES']);
    });
  });

  it('COMMAND GETKEYS finds the keys of every geo command as redis-server does', async () => {
    const r = await connectRaw(redis.port);
    const s = await connectRaw(sluice.port);
    try {
      for (const args of [
        ['GEOADD', 'k', '1', '1', 'm'],
        ['GEOPOS', 'k', 'm'],
        ['GEODIST', 'k', 'a', 'b'],
        ['GEOHASH', 'k', 'a'],
        ['GEORADIUS', 'k', '1', '1', '1', 'km'],
        ['GEORADIUS', 'k', '1', '1', '1', 'km', 'STORE', 'd'],
        ['GEORADIUS', 'k', '1', '1', '1', 'km', 'STOREDIST', 'd'],
        ['GEORADIUS', 'k', '1', '1', '1', 'km', 'STORE', 'd1', 'STOREDIST', 'd2'],
        ['GEORADIUS', 'k', '1', '1', '1', 'km', 'STORE'],
        ['GEORADIUS', 'k', '1', '1', '1', 'STORE', 'd'],
        ['GEORADIUS', 'k', 'store', 'x', '1', 'km'],
        ['GEORADIUS_RO', 'k', '1', '1', '1', 'km'],
        ['GEORADIUSBYMEMBER', 'k', 'm', '1', 'km', 'STORE', 'd'],
        ['GEORADIUSBYMEMBER', 'k', 'm', '1', 'km', 'storedist', 'd'],
        ['GEORADIUSBYMEMBER', 'k', 'm', '1', 'STORE'],
        ['GEORADIUSBYMEMBER_RO', 'k', 'm', '1', 'km'],
        ['GEOSEARCH', 'k', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'km'],
        ['GEOSEARCHSTORE', 'd', 'k', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'km'],
      ]) {
        for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
          const step = ['COMMAND', sub, ...args];
          expect({ step, reply: await s.call(...step) }).toEqual({ step, reply: await r.call(...step) });
        }
      }
    } finally {
      await Promise.all([r.close(), s.close()]);
    }
  });

  it('announces the keyspace events redis-server announces', async () => {
    const steps: Args[] = [
      SICILY,
      ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo'],
      ['GEOADD', 'g', 'XX', '1', '1', 'nope'],
      ['GEOADD', 'g', 'CH', '1', '1', 'Palermo'],
      ['GEOADD', 'fresh', 'XX', '1', '1', 'a'],
      ['GEORADIUS', 'g', '15', '37', '200', 'km'],
      ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 'd'],
      ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STOREDIST', 'd'],
      ['GEORADIUSBYMEMBER', 'g', 'Catania', '200', 'km', 'STORE', 'd2'],
      ['GEORADIUS', 'g', '15', '37', '1', 'm', 'STORE', 'd'],
      ['GEORADIUS', 'g', '15', '37', '1', 'm', 'STORE', 'd'],
      ['GEORADIUS', 'missing', '15', '37', '1', 'm', 'STORE', 'd2'],
      ['GEOSEARCHSTORE', 'd3', 'g', 'FROMMEMBER', 'Catania', 'BYRADIUS', '300', 'km'],
      ['GEOSEARCHSTORE', 'd3', 'g', 'FROMMEMBER', 'Catania', 'BYRADIUS', '300', 'km', 'STOREDIST'],
      ['GEOSEARCHSTORE', 'd3', 'g', 'FROMMEMBER', 'Catania', 'BYRADIUS', '1', 'm'],
      ['SET', 'str', 'x'],
      ['GEOSEARCHSTORE', 'str', 'g', 'FROMMEMBER', 'Catania', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCHSTORE', 'str', 'missing', 'FROMMEMBER', 'Catania', 'BYRADIUS', '1', 'km'],
    ];
    const transcript = async (server: RunningServer): Promise<string[]> => {
      const cmd = await connectRaw(server.port);
      const sub = await connectRaw(server.port);
      const lines: string[] = [];
      try {
        await cmd.call('FLUSHALL');
        await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
        await sub.call('PSUBSCRIBE', '__key*__:*');
        await sub.call('SUBSCRIBE', 'geo-marker');
        for (const [n, step] of steps.entries()) {
          lines.push(`${step.join(' ')} -> ${await cmd.call(...step)}`);
          await cmd.call('PUBLISH', 'geo-marker', `step ${n}`);
          for (;;) {
            const [frame] = await sub.readReplies(1, 10_000);
            if (frame === undefined || frame.includes(`step ${n}`)) break;
            lines.push(bulkTexts(frame).join(' '));
          }
        }
      } finally {
        await cmd.call('CONFIG', 'SET', 'notify-keyspace-events', '');
        await Promise.all([cmd.close(), sub.close()]);
      }
      return lines;
    };
    expect(await transcript(sluice)).toEqual(await transcript(redis));
  });
});
