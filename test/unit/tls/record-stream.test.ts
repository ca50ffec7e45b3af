import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/config/limits.js';
import { SSLV2_RECORD, TlsRecordStream } from '../../../src/tls/record-stream.js';
import { concat, handshake, hex, record, RecordingSink } from './helpers.js';
import { CERT_1RTT, CH_1RTT, EE_1RTT, SH_1RTT } from './rfc8448.js';

const HS = 22;
const CCS = 20;
const ALERT = 21;
const APP = 23;
const HEARTBEAT = 24;

function run(chunks: Uint8Array[], setup?: (s: TlsRecordStream, sink: RecordingSink) => void): unknown[] {
  const sink = new RecordingSink();
  const stream = new TlsRecordStream(sink);
  setup?.(stream, sink);
  for (const c of chunks) stream.push(c);
  return sink.events;
}

const cert = hex(CERT_1RTT);
const third = Math.floor(cert.length / 3);

/**
 * A server flight: two messages in one record, a ChangeCipherSpec, a Certificate spread over
 * three records, an alert, application data and a heartbeat.
 */
const FLIGHT = concat(
  record(HS, 0x0303, concat(hex(SH_1RTT), hex(EE_1RTT))),
  record(CCS, 0x0303, Uint8Array.of(1)),
  record(HS, 0x0303, cert.subarray(0, third)),
  record(HS, 0x0302, cert.subarray(third, 2 * third)),
  record(HS, 0x0303, cert.subarray(2 * third)),
  record(ALERT, 0x0303, Uint8Array.of(1, 0)),
  record(APP, 0x0303, new Uint8Array(10).fill(0xaa)),
  record(HEARTBEAT, 0x0303, Uint8Array.of(1, 2, 3)),
);

const FLIGHT_EVENTS = [
  ['record', HS, 0x0303, 90 + 40],
  ['handshake', 2, SH_1RTT.slice(8), 0x0303],
  ['handshake', 8, EE_1RTT.slice(8), 0x0303],
  ['record', CCS, 0x0303, 1],
  ['ccs'],
  ['record', HS, 0x0303, third],
  ['record', HS, 0x0302, third],
  ['record', HS, 0x0303, cert.length - 2 * third],
  // The Certificate spans three records; it reports the version of the record it started in.
  ['handshake', 11, CERT_1RTT.slice(8), 0x0303],
  ['record', ALERT, 0x0303, 2],
  ['alert', 1, 0],
  ['record', APP, 0x0303, 10],
  ['record', HEARTBEAT, 0x0303, 3],
];

describe('TlsRecordStream: framing', () => {
  it('one ClientHello record', () => {
    expect(run([record(HS, 0x0301, hex(CH_1RTT))])).toEqual([
      ['record', HS, 0x0301, 196],
      ['handshake', 1, CH_1RTT.slice(8), 0x0301],
    ]);
  });

  it('a multi-record flight in one push', () => {
    expect(run([FLIGHT])).toEqual(FLIGHT_EVENTS);
  });

  it('the same events whatever the split point (every byte position)', () => {
    for (let i = 0; i <= FLIGHT.length; i++) {
      expect(run([FLIGHT.subarray(0, i), FLIGHT.subarray(i)])).toEqual(FLIGHT_EVENTS);
    }
  });

  it('the same events byte by byte', () => {
    const chunks = Array.from(FLIGHT, (b) => Uint8Array.of(b));
    expect(run(chunks)).toEqual(FLIGHT_EVENTS);
  });

  it('the same events for three-way splits', () => {
    for (let i = 0; i < FLIGHT.length; i += 7) {
      for (let j = i; j < FLIGHT.length; j += 13) {
        const events = run([FLIGHT.subarray(0, i), FLIGHT.subarray(i, j), FLIGHT.subarray(j)]);
        expect(events).toEqual(FLIGHT_EVENTS);
      }
    }
  });

  it('a record spanning pushes, with a header split in the middle', () => {
    const rec = record(HS, 0x0301, hex(CH_1RTT));
    expect(run([rec.subarray(0, 3), rec.subarray(3, 100), rec.subarray(100)])).toEqual([
      ['record', HS, 0x0301, 196],
      ['handshake', 1, CH_1RTT.slice(8), 0x0301],
    ]);
  });

  it('a handshake header split across records', () => {
    const msg = handshake(14, new Uint8Array(0)); // ServerHelloDone, empty body
    const two = handshake(20, Uint8Array.of(9, 9));
    const bytes = concat(msg, two);
    const events = run([
      record(HS, 0x0303, bytes.subarray(0, 2)),
      record(HS, 0x0303, bytes.subarray(2, 6)),
      record(HS, 0x0303, bytes.subarray(6)),
    ]);
    expect(events.filter((e) => (e as unknown[])[0] === 'handshake')).toEqual([
      ['handshake', 14, '', 0x0303],
      ['handshake', 20, '0909', 0x0303],
    ]);
  });

  it('the bytes given to push() may be reused after the call (partial data is copied)', () => {
    const rec = record(HS, 0x0301, hex(CH_1RTT));
    const sink = new RecordingSink();
    const s = new TlsRecordStream(sink);
    const buf = rec.slice(0, 150);
    s.push(buf);
    buf.fill(0);
    s.push(rec.subarray(150));
    expect(sink.events[1]).toEqual(['handshake', 1, CH_1RTT.slice(8), 0x0301]);
  });
});

describe('TlsRecordStream: encrypted records', () => {
  it('after the owner sets `encrypted`, handshake and alert records are only counted', () => {
    const events = run(
      [
        concat(
          record(CCS, 0x0303, Uint8Array.of(1)),
          record(HS, 0x0303, hex('1400000c' + 'ab'.repeat(28))), // encrypted Finished
          record(ALERT, 0x0303, hex('00'.repeat(26))), // encrypted alert
          record(CCS, 0x0303, Uint8Array.of(1)),
        ),
      ],
      (stream, sink) => {
        const inner = sink.onChangeCipherSpec.bind(sink);
        sink.onChangeCipherSpec = () => {
          inner();
          stream.encrypted = true;
        };
      },
    );
    expect(events).toEqual([
      ['record', CCS, 0x0303, 1],
      ['ccs'],
      ['record', HS, 0x0303, 32],
      ['record', ALERT, 0x0303, 26],
      ['record', CCS, 0x0303, 1],
    ]);
  });
});

describe('TlsRecordStream: anomalies', () => {
  it('a zero-length handshake record, a bad ChangeCipherSpec, a bad alert', () => {
    expect(
      run([
        concat(
          record(HS, 0x0303, new Uint8Array(0)),
          record(CCS, 0x0303, Uint8Array.of(2)),
          record(ALERT, 0x0303, Uint8Array.of(2)),
          record(ALERT, 0x0303, Uint8Array.of(2, 40)),
        ),
      ]),
    ).toEqual([
      ['record', HS, 0x0303, 0],
      ['anomaly', 'tls_empty_handshake_record'],
      ['record', CCS, 0x0303, 1],
      ['anomaly', 'tls_bad_change_cipher_spec'],
      ['ccs'],
      ['record', ALERT, 0x0303, 1],
      ['anomaly', 'tls_bad_alert'],
      ['record', ALERT, 0x0303, 2],
      ['alert', 2, 40],
    ]);
  });

  it('another record type in the middle of a fragmented handshake message drops the partial message', () => {
    const msg = handshake(11, new Uint8Array(20).fill(7));
    expect(
      run([
        concat(
          record(HS, 0x0303, msg.subarray(0, 10)),
          record(ALERT, 0x0303, Uint8Array.of(2, 10)),
          record(HS, 0x0303, handshake(14, new Uint8Array(0))),
        ),
      ]),
    ).toEqual([
      ['record', HS, 0x0303, 10],
      ['record', ALERT, 0x0303, 2],
      ['anomaly', 'tls_interleaved_handshake'],
      ['alert', 2, 10],
      ['record', HS, 0x0303, 4],
      ['handshake', 14, '', 0x0303],
    ]);
  });
});

describe('TlsRecordStream: not TLS, caps, gaps', () => {
  it('an HTTP request is a bad record header; the stream stops', () => {
    const sink = new RecordingSink();
    const s = new TlsRecordStream(sink);
    s.push(Buffer.from('GET / HTTP/1.1\r\n'));
    s.push(record(HS, 0x0301, hex(CH_1RTT)));
    expect(sink.events).toEqual([['malformed', 'tls_bad_record_header']]);
    expect(s.stopped).toBe(true);
  });

  it('bad content types and versions', () => {
    expect(run([hex('19 0303 0001 00')])).toEqual([['malformed', 'tls_bad_record_header']]); // type 25
    expect(run([hex('13 0303 0001 00')])).toEqual([['malformed', 'tls_bad_record_header']]); // type 19
    expect(run([hex('16 0203 0001 00')])).toEqual([['malformed', 'tls_bad_record_header']]);
    expect(run([hex('16 0305 0001 00')])).toEqual([['malformed', 'tls_bad_record_header']]);
    expect(run([hex('16 0300 0000')])).toEqual([
      ['record', HS, 0x0300, 0],
      ['anomaly', 'tls_empty_handshake_record'],
    ]);
  });

  it(`a record longer than LIMITS.maxTlsRecordBytes (${LIMITS.maxTlsRecordBytes}) trips the cap`, () => {
    const max = LIMITS.maxTlsRecordBytes;
    const at = (n: number): Uint8Array => Uint8Array.of(APP, 3, 3, n >> 8, n & 0xff);
    expect(run([at(max)])).toEqual([['record', APP, 0x0303, max]]);
    expect(run([at(max + 1), record(HS, 0x0303, hex(EE_1RTT))])).toEqual([['malformed', 'tls_record_limit_reached']]);
  });

  it(`a handshake message longer than LIMITS.maxHandshakeMessageBytes trips the cap, however it is split`, () => {
    const n = LIMITS.maxHandshakeMessageBytes + 1;
    const rec = record(HS, 0x0303, Uint8Array.of(11, n >> 16, (n >> 8) & 0xff, n & 0xff, 0, 0));
    const expected = [['record', HS, 0x0303, 6], ['malformed', 'handshake_message_limit_reached']];
    expect(run([rec])).toEqual(expected);
    expect(run([rec.subarray(0, 7), rec.subarray(7)])).toEqual(expected);
  });

  it('a handshake message of exactly the cap, over many records and pushes', () => {
    const n = LIMITS.maxHandshakeMessageBytes;
    const bodyBytes = new Uint8Array(n).fill(0x5c);
    const msg = handshake(11, bodyBytes);
    const records: Uint8Array[] = [];
    for (let off = 0; off < msg.length; off += 16384) records.push(record(HS, 0x0303, msg.subarray(off, off + 16384)));
    const all = concat(...records);
    // Only the summary of the big body is recorded (not 512 KiB of hex).
    const sink = new RecordingSink();
    sink.onRecord = () => {};
    sink.onHandshake = (t, b) => sink.events.push([t, b.length, b[0], b[n - 1]]);
    const s = new TlsRecordStream(sink);
    for (let off = 0; off < all.length; off += 5000) s.push(all.subarray(off, off + 5000));
    expect(sink.events).toEqual([[11, n, 0x5c, 0x5c]]);
  });

  it('gap() stops the stream silently', () => {
    const sink = new RecordingSink();
    const s = new TlsRecordStream(sink);
    const rec = record(HS, 0x0301, hex(CH_1RTT));
    s.push(rec.subarray(0, 50));
    s.gap();
    s.push(rec.subarray(50));
    expect(sink.events).toEqual([['record', HS, 0x0301, 196]]);
    expect(s.stopped).toBe(true);
  });
});

describe('TlsRecordStream: SSL 2.0 framing', () => {
  /** SSLv2-compatible ClientHello: 2 TLS suites, one SSL 2.0 kind, 16-byte challenge. */
  const v2Hello = hex('01 0301 0009 0000 0010 000035 00002f 010080 00112233445566778899aabbccddeeff');
  const v2Record = concat(Uint8Array.of(0x80 | (v2Hello.length >> 8), v2Hello.length & 0xff), v2Hello);

  it('an SSLv2-compatible ClientHello as the first record, then TLS records', () => {
    const events = run([concat(v2Record, record(HS, 0x0301, handshake(16, Uint8Array.of(0, 1, 2))))]);
    expect(events).toEqual([
      ['record', SSLV2_RECORD, 0x0002, v2Hello.length],
      ['sslv2_client_hello', 0x0301, '53,47', '00112233445566778899aabbccddeeff'],
      ['record', HS, 0x0301, 7],
      ['handshake', 16, '000102', 0x0301],
    ]);
  });

  it('byte by byte gives the same events', () => {
    const chunks = Array.from(v2Record, (b) => Uint8Array.of(b));
    expect(run(chunks)).toEqual(run([v2Record]));
  });

  it('an SSL 2.0 ServerHello; later SSL 2.0 records are only counted', () => {
    const sh = hex('04 00 01 0002 0002 0003 0010 3000 010080 ffeeddccbbaa99887766554433221100');
    const events = run([concat(Uint8Array.of(0x80, sh.length), sh, hex('80 05 0102030405'))]);
    expect(events).toEqual([
      ['record', SSLV2_RECORD, 0x0002, sh.length],
      ['sslv2_server_hello', 0x0002, 0x010080, 'ffeeddccbbaa99887766554433221100', '3000'],
      ['record', SSLV2_RECORD, 0x0002, 5],
    ]);
  });

  it('SSL 2.0 framing is only accepted before any TLS record', () => {
    expect(run([concat(record(HS, 0x0301, handshake(14, new Uint8Array(0))), v2Record)]).at(-1)).toEqual([
      'malformed',
      'tls_bad_record_header',
    ]);
  });

  it('a first SSL 2.0 record that is no hello is not TLS', () => {
    expect(run([hex('80 03 02 0000')])).toEqual([
      ['record', SSLV2_RECORD, 0x0002, 3],
      ['malformed', 'tls_bad_record_header'],
    ]);
    expect(run([hex('80 00')])).toEqual([['malformed', 'tls_bad_record_header']]);
  });

  it('a broken SSL 2.0 ClientHello stops the stream with its parse error', () => {
    expect(run([hex('80 05 01 0301 0009')]).at(-1)).toEqual(['malformed', 'sslv2_client_hello_truncated']);
  });

  it('an SSL 2.0 hello longer than the record cap', () => {
    expect(run([hex('ffff 01')])).toEqual([['malformed', 'tls_record_limit_reached']]);
  });
});
