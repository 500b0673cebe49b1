import { describe, expect, it } from 'vitest';
import { isComplete, missingPieces, parseDemoOutput } from './demoOutput';

const printout = `
Doorlink demo is running.
  Open Doorlink:      http://127.0.0.1:41235/
  Kisi emulator:      http://127.0.0.1:39001 (owner API key: 0582f8cf5d1e4c7a9b3e)
Sign in as
  admin   admin@harbor.example / demo-admin-pass
  staff   frontdesk@harbor.example / demo-staff-pass
  member  mia@harbor.example / demo-member-pass
Press Ctrl-C to stop.
`;

describe('reading the printout of doorlink demo', () => {
  it('finds both URLs, the owner key and the three sign-ins', () => {
    const parsed = parseDemoOutput(printout);
    expect(parsed.hubUrl).toBe('http://127.0.0.1:41235');
    expect(parsed.kisiUrl).toBe('http://127.0.0.1:39001');
    expect(parsed.kisiApiKey).toBe('0582f8cf5d1e4c7a9b3e');
    expect(parsed.signIns).toEqual({
      admin: { email: 'admin@harbor.example', password: 'demo-admin-pass' },
      staff: { email: 'frontdesk@harbor.example', password: 'demo-staff-pass' },
      member: { email: 'mia@harbor.example', password: 'demo-member-pass' },
    });
    expect(isComplete(parsed)).toBe(true);
  });

  it('reads the banner doorlink demo prints', () => {
    const banner = [
      'Doorlink demo is running.',
      '',
      '  Hub:            http://127.0.0.1:43117',
      '  Kisi emulator:  http://127.0.0.1:40211',
      '  Data folder:    /tmp/.tmpXy (temporary, removed when the demo stops)',
      '',
      'Sign in as:',
      '  member  mia@harbor.example  password harbor-member-demo',
      '  staff   frontdesk@harbor.example  password harbor-staff-demo',
      '  admin   owner@harbor.example  password harbor-admin-demo',
      '',
      'Try: doorlink explain mia@harbor.example --lock "Server Room" --data /tmp/.tmpXy',
      'Press Ctrl-C to stop.',
    ].join('\n');
    const parsed = parseDemoOutput(banner);
    expect(parsed).toMatchObject({
      hubUrl: 'http://127.0.0.1:43117',
      kisiUrl: 'http://127.0.0.1:40211',
      kisiApiKey: undefined,
    });
    expect(parsed.signIns).toEqual({
      admin: { email: 'owner@harbor.example', password: 'harbor-admin-demo' },
      staff: { email: 'frontdesk@harbor.example', password: 'harbor-staff-demo' },
      member: { email: 'mia@harbor.example', password: 'harbor-member-demo' },
    });
  });

  it('accepts "password:" labels', () => {
    const parsed = parseDemoOutput('member: mia@harbor.example password: s3cret-pass');
    expect(parsed.signIns?.member).toEqual({ email: 'mia@harbor.example', password: 's3cret-pass' });
  });

  it('names what is still missing while the demo starts', () => {
    const parsed = parseDemoOutput('Kisi emulator listening on http://127.0.0.1:39001');
    expect(isComplete(parsed)).toBe(false);
    expect(missingPieces(parsed)).toEqual([
      'the hub URL',
      'the admin sign-in',
      'the staff sign-in',
      'the member sign-in',
    ]);
  });
});
