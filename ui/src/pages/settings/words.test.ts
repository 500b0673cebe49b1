import { describe, expect, it } from 'vitest';
import type { DesktopStatus } from '../../api/desktopTransport';
import { hubAddressProblem, modeInWords, passwordRuleInWords, secretsInWords, unlockingInWords } from './words';

const status = (over: Partial<DesktopStatus>): DesktopStatus => ({
  settings: { mode: null, signed_in: null, start_at_login: false, front_desk_port: null },
  secrets_backend: 'keychain',
  can_unlock_directly: true,
  ...over,
});

describe('a hub address as typed', () => {
  it('is accepted as a full https or http address', () => {
    expect(hubAddressProblem(' https://doorlink.example.com ')).toBeUndefined();
    expect(hubAddressProblem('http://127.0.0.1:8080')).toBeUndefined();
  });

  it('asks for one when empty', () => {
    expect(hubAddressProblem('  ')).toMatch(/Enter your hub’s address/);
  });

  it('says a bare host name is not a web address and shows the full form', () => {
    expect(hubAddressProblem('doorlink.example.com')).toMatch(/not a web address.*https:\/\/doorlink\.example\.com/);
  });

  it('names the wrong scheme', () => {
    expect(hubAddressProblem('ftp://doorlink.example.com')).toMatch(/must start with https:\/\/ \(not ftp:\/\/\)/);
  });
});

describe('the settings in words', () => {
  it('says where the front desk keeps its data and which hub is used otherwise', () => {
    expect(modeInWords({ kind: 'front_desk' })).toMatch(/front desk.*data on this computer/);
    expect(modeInWords({ kind: 'remote_hub', url: 'https://hub.example.com' })).toBe(
      'This computer signs in to the hub at https://hub.example.com.',
    );
    expect(modeInWords(null)).toBe('Not chosen yet.');
  });

  it('says honestly what the encrypted-file fallback does not protect', () => {
    expect(secretsInWords('keychain')).toMatch(/keychain/);
    const file = secretsInWords('encryptedFile');
    expect(file).toMatch(/no keychain.*encrypted file/);
    expect(file).toMatch(/never in plain text/);
  });

  it('says whether doors can be opened from this computer', () => {
    expect(unlockingInWords(status({}))).toMatch(/own Kisi login/);
    expect(unlockingInWords(status({ can_unlock_directly: false }))).toMatch(/cannot be opened from here/);
  });

  it('says the hub’s password rule with its numbers', () => {
    expect(passwordRuleInWords({ min_chars: 12, max_chars: 200 })).toMatch(/^At least 12 characters \(at most 200\)/);
  });
});
