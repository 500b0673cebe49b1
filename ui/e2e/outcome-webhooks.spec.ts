/**
 * Issue 15's outcome webhooks end to end, in Debian's chromium against `doorlink demo`: a small
 * receiver on loopback stands in for the operator's other system. The admin adds it on the Outcome
 * webhooks page for `unlock.succeeded`, copies the signing secret shown once, and the member opens
 * the Front Door: Kisi's signed webhook reaches the hub, the hub's sender posts `unlock.succeeded`
 * to the receiver, signed over its timestamp and body with that secret (checked here as
 * docs/outcome-webhooks.md tells a receiver to), and the delivery log shows it delivered. "Send
 * again" posts the same event once more under the same idempotency key. (The retry after a 500,
 * with its back-off, is proven over TCP in crates/hub/tests/outcomes.rs.)
 */
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { checkAccessibility } from './harness/axe';
import { closeStage, openStage, pageAs, type Stage } from './harness/scenario';

interface Heard {
  signature: string;
  idempotencyKey: string;
  type: string;
  body: string;
}

/** A receiver that answers 200 to every delivery and keeps what it heard. */
async function startReceiver(): Promise<{ server: Server; url: string; heard: Heard[] }> {
  const heard: Heard[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      heard.push({
        signature: String(request.headers['doorlink-signature'] ?? ''),
        idempotencyKey: String(request.headers['idempotency-key'] ?? ''),
        type: String(request.headers['doorlink-event-type'] ?? ''),
        body,
      });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/doorlink`, heard };
}

/** The receiver's check: `v1` is the hex HMAC-SHA256 of `<t>.<body>` under the secret. */
function signedWith(secret: string, heard: Heard): boolean {
  const parts = Object.fromEntries(heard.signature.split(',').map((part) => part.split('=', 2)));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${heard.body}`).digest('hex');
  const given = String(parts.v1 ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('outcome webhooks', () => {
  let stage: Stage | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  before(async () => {
    stage = await openStage();
    receiver = await startReceiver();
  });
  after(async () => {
    receiver?.server.close();
    await closeStage(stage);
  });

  it('tells a registered receiver of an unlock, signed, and sends it again on demand', async () => {
    assert.ok(stage && receiver);
    const admin = await pageAs(stage, 'admin');
    await admin.goto('/admin/outcomes');
    await admin.getByText('No endpoint yet', { exact: false }).waitFor();
    await admin.getByRole('button', { name: 'Add endpoint' }).click();
    const form = admin.getByRole('form', { name: 'Add endpoint' });
    await form.getByLabel('Address (URL)').fill(receiver.url);
    await form.getByLabel('Description').fill('Front desk CRM');
    await form.getByLabel('unlock.succeeded', { exact: true }).check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secretField = admin.getByLabel('Signing secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    assert.match(secret, /^\S{32,}$/, 'a secret to copy');
    assert.deepEqual((await checkAccessibility(admin)).blocking, [], 'serious or critical axe violations');
    await admin.getByRole('button', { name: 'I have saved it' }).click();
    assert.equal(await admin.getByLabel('Signing secret').count(), 0, 'shown once');

    const member = await pageAs(stage, 'member');
    await member.goto('/access');
    const door = member.getByRole('button', { name: /^Unlock Front Door, / });
    await door.click();
    await member.locator('li.door', { has: door }).getByRole('status').getByText('Unlocked').waitFor();

    const heard = await until('the unlock at the receiver', () =>
      receiver?.heard.find((h) => h.type === 'unlock.succeeded'),
    );
    assert.ok(signedWith(secret, heard), `signed with the secret shown: ${heard.signature}`);
    const event = JSON.parse(heard.body) as { id: string; type: string; data: { door: string } };
    assert.equal(event.id, heard.idempotencyKey);
    assert.equal(event.data.door, 'Front Door');

    await admin.getByRole('button', { name: 'Delivery log' }).click();
    const log = admin.getByRole('region', { name: `Delivery log of ${receiver.url}` });
    await log.getByRole('cell', { name: 'Delivered', exact: false }).first().waitFor();
    await log
      .getByRole('button', { name: /^Send again the unlock\.succeeded event/ })
      .first()
      .click();
    const again = await until('the same event again', () => {
      const same = receiver?.heard.filter((h) => h.idempotencyKey === event.id) ?? [];
      return same.length >= 2 ? same : undefined;
    });
    assert.equal(again[1]?.body, heard.body, 'the same event, word for word');
  });
});
