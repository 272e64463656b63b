import { describe, expect, it } from 'vitest';
import { sdpFingerprint } from './peer-link.ts';

// The link itself needs a browser (the lead's Playwright tests); here only the pure part.
describe('sdpFingerprint', () => {
  it('finds the DTLS fingerprint line of an SDP', () => {
    const fp = 'sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9';
    const sdp = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:${fp}\r\na=setup:actpass\r\n`;
    expect(sdpFingerprint(sdp)).toBe(fp);
    expect(sdpFingerprint('v=0\r\n')).toBeUndefined();
    expect(sdpFingerprint(undefined)).toBeUndefined();
  });
});
