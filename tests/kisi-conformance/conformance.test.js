// The judge of the emulator (issue 13): Kisi's official JavaScript client, `kisi-client` 8.0.0
// from npm, run against `kisi-emulator` over TCP. Every path, verb, body and header here is the
// one the official client sends (it camelizes answers and decamelizes bodies with `humps`, reads
// `X-Collection-Range` into `{pagination, data}`, and turns errors into `KisiError(status, code,
// reason)`). Statuses are those of Kisi's docs (docs/kisi-api.md): creates answer 200, updates and
// deletes 204, unknown ids 403.
//
// Run: `cargo build -p kisi-emulator && npm test` (KISI_EMULATOR_BIN overrides the binary).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

import Kisi from 'kisi-client';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const seedFile = path.join(repo, 'crates', 'kisi-emulator', 'seeds', 'demo.json');
const binary =
  process.env.KISI_EMULATOR_BIN ??
  path.join(process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target'), 'debug', 'kisi-emulator');

// The demo seed's organization and owner (crates/kisi-emulator/seeds/demo.json).
const OWNER = {
  domain: 'harbor-coworking',
  email: 'owner@harbor.example',
  password: 'demo-owner-password'
};
// Kisi's words (docs/kisi-api.md, "Errors").
const READER_RESTRICTION = 'Please ask an administrator to disable the Kisi Reader restriction.';
const GROUP_NOT_FOUND = 'Group is not found';
// Near the demo place (Hafenstrasse 1, Berlin), inside the Parking Gate's 150 m geofence.
const NEAR_THE_PARKING_GATE = { latitude: 52.5107, longitude: 13.4197 };

/** Starts the emulator binary on a free loopback port; resolves with its base URL. */
async function startEmulator(extraArgs = []) {
  assert.ok(existsSync(binary), `build it first: cargo build -p kisi-emulator (looked at ${binary})`);
  const child = spawn(binary, ['--listen', '127.0.0.1:0', '--seed', seedFile, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' }
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  const baseUrl = await new Promise((resolve, reject) => {
    child.once('exit', code => reject(new Error(`kisi-emulator exited with ${code}: ${output}`)));
    child.stdout.on('data', chunk => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]);
    });
  });
  return {
    baseUrl,
    async stop() {
      child.kill('SIGINT');
      if (child.exitCode === null) await once(child, 'exit');
    }
  };
}

/** A client of the official library, plus the last raw answer it saw (status, headers). */
function officialClient(baseUrl) {
  const kisi = new Kisi({ baseURL: `${baseUrl}/` });
  const seen = { status: undefined, headers: {} };
  kisi.client.interceptors.response.use(
    response => {
      seen.status = response.status;
      seen.headers = response.headers;
      return response;
    },
    error => {
      seen.status = error.response?.status;
      seen.headers = error.response?.headers ?? {};
      return Promise.reject(error);
    }
  );
  return { kisi, seen };
}

/** The official client's KisiError of a refused call. */
async function refusal(promise) {
  try {
    await promise;
  } catch (error) {
    assert.equal(error.constructor.name, 'KisiError', String(error));
    return error;
  }
  assert.fail('Kisi accepted a call it must refuse');
}

async function controlFault(baseUrl, fault) {
  const response = await fetch(`${baseUrl}/__emulator/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(fault)
  });
  assert.equal(response.status, 204, await response.text());
}

describe('the official Kisi client against kisi-emulator', () => {
  let emulator;
  let owner;
  let seen;
  const byName = {};

  before(async () => {
    emulator = await startEmulator(['--no-rate-limit']);
    ({ kisi: owner, seen } = officialClient(emulator.baseUrl));
  });

  after(async () => {
    await emulator?.stop();
  });

  test('sign in as the owner with domain, e-mail and password (POST /logins, type device)', async () => {
    const login = await owner.signIn(OWNER);
    assert.equal(seen.status, 200);
    assert.equal(typeof login.secret, 'string');
    assert.ok(login.secret.length > 0);
    assert.equal(owner.client.defaults.headers.common.Authorization, `KISI-LOGIN ${login.secret}`);
  });

  test('a wrong password is 401 "Unauthorized"', async () => {
    const { kisi } = officialClient(emulator.baseUrl);
    const error = await refusal(kisi.signIn({ ...OWNER, password: 'wrong' }));
    assert.equal(error.status, 401);
    assert.equal(error.reason, 'Unauthorized');
  });

  test('GET /user names whose key it is', async () => {
    const user = await owner.get('user');
    assert.equal(user.email, OWNER.email);
  });

  test('places: the list is paged with X-Collection-Range, GET /places/{id} answers one', async () => {
    const places = await owner.get('places');
    assert.deepEqual(places.pagination, { offset: 0, limit: 1, count: 1 });
    const [place] = places.data;
    assert.equal(place.name, 'Harbor Coworking Berlin');
    assert.equal(place.timeZone, 'Europe/Berlin');
    const one = await owner.get(`places/${place.id}`);
    assert.equal(seen.status, 200);
    assert.equal(one.id, place.id);
    byName.place = place.id;
  });

  test('locks: the list with its restriction flags, filtered by place, and GET /locks/{id}', async () => {
    const locks = await owner.get('locks', { placeId: byName.place, limit: 100 });
    assert.equal(locks.pagination.count, 9);
    for (const lock of locks.data) byName[lock.name] = lock.id;
    const server = locks.data.find(lock => lock.name === 'Server Room');
    assert.equal(server.readerRestrictionEnabled, true);
    const one = await owner.get(`locks/${byName['Parking Gate']}`);
    assert.equal(one.name, 'Parking Gate');
    assert.equal(one.geofenceRestrictionEnabled, true);
  });

  test('paging: limit and offset, and an empty page answers */count', async () => {
    const page = await owner.get('locks', { limit: 2, offset: 2 });
    assert.deepEqual(page.pagination, { offset: 2, limit: 2, count: 9 });
    assert.equal(page.data.length, 2);
    assert.equal(seen.headers['x-collection-range'], '2-3/9');
    const beyond = await owner.get('locks', { limit: 2, offset: 50 });
    assert.deepEqual(beyond.pagination, { offset: 0, limit: 0, count: 9 });
    assert.deepEqual(beyond.data, []);
  });

  test('groups: the list, GET /groups/{id}, and a created group with app access on (200)', async () => {
    const groups = await owner.get('groups', { limit: 100 });
    for (const group of groups.data) byName[group.name] = group.id;
    const one = await owner.get(`groups/${byName['Day Pass']}`);
    assert.equal(one.name, 'Day Pass');
    assert.equal(one.locksCount, 1);
    const created = await owner.post('groups', {
      group: { name: 'Conformance', description: 'made by the official client', loginEnabled: true }
    });
    assert.equal(seen.status, 200);
    assert.equal(created.name, 'Conformance');
    assert.equal(created.loginEnabled, true);
    byName.Conformance = created.id;
  });

  test('group locks: list by group, add (200), remove (204)', async () => {
    const listed = await owner.get('group_locks', { groupId: byName['Day Pass'] });
    assert.deepEqual(
      listed.data.map(groupLock => groupLock.lockId),
      [byName['Front Door']]
    );
    const added = await owner.post('group_locks', {
      groupLock: { groupId: byName.Conformance, lockId: byName['Phone Booth'] }
    });
    assert.equal(seen.status, 200);
    assert.equal(added.groupId, byName.Conformance);
    await owner.delete(`group_locks/${added.id}`);
    assert.equal(seen.status, 204);
  });

  test('group update (PUT, the client has no PATCH) and delete answer 204; the deleted group is "Group is not found"', async () => {
    await owner.put(`groups/${byName.Conformance}`, { group: { name: 'Conformance renamed' } });
    assert.equal(seen.status, 204);
    const renamed = await owner.get(`groups/${byName.Conformance}`);
    assert.equal(renamed.name, 'Conformance renamed');
    await owner.delete(`groups/${byName.Conformance}`);
    assert.equal(seen.status, 204);
    const error = await refusal(owner.get(`groups/${byName.Conformance}`));
    assert.equal(error.status, 404);
    assert.equal(error.reason, GROUP_NOT_FOUND);
  });

  test('a managed user is created without a name (200), found by query and by id', async () => {
    const created = await owner.post('users', {
      user: { email: 'ana@example.com', sendEmails: false, confirm: true }
    });
    assert.equal(seen.status, 200);
    assert.equal(created.email, 'ana@example.com');
    assert.equal(created.confirmed, true);
    byName.ana = created.id;
    const found = await owner.get('users', { query: 'ana@example.com' });
    assert.deepEqual(
      found.data.map(user => user.id),
      [created.id]
    );
    const one = await owner.get(`users/${created.id}`);
    assert.equal(one.email, 'ana@example.com');
  });

  test('members (Kisi\'s newer model): create with name and e-mail (200), list with the user nested', async () => {
    const member = await owner.post('members', { member: { name: 'Ben', email: 'ben@example.com' } });
    assert.equal(seen.status, 200);
    assert.equal(member.user.email, 'ben@example.com');
    const members = await owner.get('members', { query: 'ben@example.com' });
    assert.equal(members.data[0].user.email, 'ben@example.com');
  });

  test('roles list group_basic', async () => {
    const roles = await owner.get('roles');
    assert.ok(roles.data.some(role => role.id === 'group_basic'));
  });

  test('a role assignment with a validity window (200), listed by user', async () => {
    const validFrom = new Date(Date.now() - 3_600_000).toISOString();
    const validUntil = new Date(Date.now() + 3_600_000).toISOString();
    for (const group of ['Dedicated Desk Members', 'IT Staff']) {
      const assignment = await owner.post('role_assignments', {
        roleAssignment: {
          userId: byName.ana,
          roleId: 'group_basic',
          groupId: byName[group],
          validFrom,
          validUntil
        }
      });
      assert.equal(seen.status, 200);
      assert.equal(assignment.roleId, 'group_basic');
      assert.equal(Date.parse(assignment.validUntil), Date.parse(validUntil));
    }
    const listed = await owner.get('role_assignments', { userId: byName.ana });
    assert.equal(listed.data.length, 2);
  });

  describe('a login made on behalf of the managed user', () => {
    let member;

    before(async () => {
      const login = await owner.post('logins', {
        login: { type: 'device', email: 'ana@example.com', expire: 'false' }
      });
      assert.equal(seen.status, 200);
      assert.equal(login.user.email, 'ana@example.com');
      ({ kisi: member } = officialClient(emulator.baseUrl));
      member.setLoginSecret(login.secret);
    });

    test('sees only the locks its groups open', async () => {
      const locks = await member.get('locks');
      const names = locks.data.map(lock => lock.name).sort();
      assert.ok(names.includes('Parking Gate') && names.includes('Server Room'), names.join());
      assert.ok(!names.includes('Office 101'), names.join());
    });

    test('unlocks a plain door: {"message":"Unlocked!"}', async () => {
      const answer = await member.post(`locks/${byName['Front Door']}/unlock`);
      assert.deepEqual(answer, { message: 'Unlocked!' });
    });

    test('a geofenced door needs context.location, and opens with it', async () => {
      const error = await refusal(member.post(`locks/${byName['Parking Gate']}/unlock`));
      assert.equal(error.status, 403);
      const answer = await member.post(`locks/${byName['Parking Gate']}/unlock`, {
        context: { location: NEAR_THE_PARKING_GATE }
      });
      assert.deepEqual(answer, { message: 'Unlocked!' });
    });

    test('a reader-restricted door answers Kisi\'s code bb5bbff', async () => {
      const error = await refusal(member.post(`locks/${byName['Server Room']}/unlock`));
      assert.equal(error.status, 403);
      assert.equal(error.code, 'bb5bbff');
      assert.equal(error.reason, READER_RESTRICTION);
    });

    test('cannot manage the organization: 403', async () => {
      const error = await refusal(member.get('groups'));
      assert.equal(error.status, 403);
    });
  });

  test('a visitor access link (group link) with a window: create (200) with its secret, list, delete (204)', async () => {
    const link = await owner.post('group_links', {
      groupLink: {
        name: 'Visitor',
        groupId: byName.Visitors,
        email: 'visitor@example.com',
        validFrom: new Date().toISOString(),
        validUntil: new Date(Date.now() + 3_600_000).toISOString()
      }
    });
    assert.equal(seen.status, 200);
    assert.equal(typeof link.secret, 'string');
    const listed = await owner.get('group_links', { groupId: byName.Visitors });
    assert.ok(listed.data.some(each => each.id === link.id));
    await owner.delete(`group_links/${link.id}`);
    assert.equal(seen.status, 204);
  });

  test('GET /logins lists the current user\'s logins without their secrets', async () => {
    const logins = await owner.get('logins');
    assert.ok(logins.data.length >= 1);
    for (const login of logins.data) assert.equal(login.secret, undefined);
  });

  test('an unknown id is 403, not 404 (Kisi\'s answer for a mistyped id)', async () => {
    const error = await refusal(owner.get('groups/987654321'));
    assert.equal(error.status, 403);
  });

  test('an invalid payload is 422 with the problem per field', async () => {
    const error = await refusal(owner.post('users', { user: { email: 'not-an-email' } }));
    assert.equal(error.status, 422);
    assert.equal(typeof error.reason, 'string');
  });

  test('over the rate limit: 429 with Retry-After', async () => {
    await controlFault(emulator.baseUrl, { too_many_requests: { count: 1 } });
    const error = await refusal(owner.get('places'));
    assert.equal(error.status, 429);
    assert.ok(Number(seen.headers['retry-after']) >= 1, JSON.stringify(seen.headers));
  });

  test('sign out (DELETE /login, 204): the secret stops working (401)', async () => {
    const { kisi } = officialClient(emulator.baseUrl);
    await kisi.signIn(OWNER);
    const secret = kisi.client.defaults.headers.common.Authorization;
    await kisi.signOut();
    const { kisi: stale } = officialClient(emulator.baseUrl);
    stale.client.defaults.headers.common.Authorization = secret;
    const error = await refusal(stale.get('user'));
    assert.equal(error.status, 401);
  });
});

describe('the emulator\'s own rate limit, as the official client meets it', () => {
  test('a burst beyond 5 requests per second gets 429 with Retry-After', async () => {
    const emulator = await startEmulator();
    try {
      const { kisi } = officialClient(emulator.baseUrl);
      const retryAfters = [];
      kisi.client.interceptors.response.use(undefined, error => {
        retryAfters.push(error.response?.headers['retry-after']);
        return Promise.reject(error);
      });
      await kisi.signIn(OWNER);
      const answers = await Promise.allSettled(Array.from({ length: 12 }, () => kisi.get('user')));
      const limited = answers.filter(answer => answer.status === 'rejected');
      assert.ok(limited.length > 0, 'no 429 in a burst of 12');
      for (const { reason } of limited) assert.equal(reason.status, 429);
      assert.ok(retryAfters.length > 0 && retryAfters.every(seconds => Number(seconds) >= 1), retryAfters.join());
    } finally {
      await emulator.stop();
    }
  });
});
