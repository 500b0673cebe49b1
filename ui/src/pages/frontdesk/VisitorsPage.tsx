/**
 * The front desk's visitors (issue 17, point 9): register a visitor by name and e-mail with a host
 * (R10), the expected visitors of a day in the location's zone with their Kisi access link (copy,
 * QR code, send by e-mail), end a visit early, and the day's passes with cancel (R9).
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/context';
import { describeError } from '../../api/errors';
import { useAction, useVisitorPolicies } from '../../api/hooks';
import { queryKeys } from '../../api/queries';
import { useCurrentLocation } from '../../app/location';
import { Button } from '../../components/Button';
import { Card, PageHeader } from '../../components/Card';
import { Dialog, DialogActions } from '../../components/Dialog';
import { DateTimeField, SelectField, TextField } from '../../components/Field';
import { Badge, Notice } from '../../components/Notice';
import { Loading } from '../../components/Progress';
import { Table } from '../../components/Table';
import { useForm } from '../../components/useForm';
import type { DeskDayPassView } from '../../gen/DeskDayPassView';
import type { ExpectedVisitView } from '../../gen/ExpectedVisitView';
import type { LocationView } from '../../gen/LocationView';
import type { PersonView } from '../../gen/PersonView';
import type { VisitStatus } from '../../gen/VisitStatus';
import { formatWindow } from '../../time/format';
import { instantOfWallClock, nextSlot, parseWallClock, toDateInput } from '../../time/zoned';
import { useNow } from '../../hooks/useNow';
import { PersonFinder } from './PersonFinder';

const invalidates = ['passes', 'access', 'people'];

/** How often the page asks again while a visitor's link is still being made in Kisi. */
const PREPARING_POLL_MS = 3000;

const STATUS_WORDS: Record<VisitStatus, { label: string; tone: 'info' | 'success' | 'neutral' }> = {
  expected: { label: 'Expected', tone: 'info' },
  on_site: { label: 'On-site window', tone: 'success' },
  ended: { label: 'Ended', tone: 'neutral' },
};

export function VisitorsPage() {
  const { location } = useCurrentLocation();
  if (!location) return <Notice tone="info">Create a location first (Admin).</Notice>;
  return <VisitorsOf location={location} />;
}

function VisitorsOf({ location }: { location: LocationView }) {
  const api = useApi();
  const zone = location.time_zone;
  const [date, setDate] = useState(() => toDateInput(new Date(), zone));
  const [registering, setRegistering] = useState(false);
  const day = useQuery({
    queryKey: queryKeys.visitors(location.id, date),
    queryFn: () => api.passes.visitorsOf(location.id, date),
    // A link the sync has not made yet arrives without a reload.
    refetchInterval: (query) =>
      query.state.data?.visits.some((v) => v.access_link.state === 'being_prepared') ? PREPARING_POLL_MS : false,
  });
  return (
    <>
      <PageHeader
        title="Visitors"
        subtitle={`Times in ${zone}`}
        actions={
          <Button variant="primary" onClick={() => setRegistering((r) => !r)}>
            {registering ? 'Close' : 'Register a visitor'}
          </Button>
        }
      />
      <div className="stack">
        {registering && <RegisterVisitor location={location} onDone={() => setRegistering(false)} />}
        <div className="form-row">
          <TextField
            label={`Day (${zone})`}
            type="date"
            value={date}
            onChange={(e) => e.target.value && setDate(e.target.value)}
          />
        </div>
        {day.isPending && <Loading what="visitors" />}
        {day.error && <Notice tone="danger">{describeError(day.error)}</Notice>}
        {day.data && <ExpectedVisitors visits={day.data.visits} zone={zone} />}
        {day.data && <DayPasses passes={day.data.day_passes} />}
      </div>
    </>
  );
}

function RegisterVisitor({ location, onDone }: { location: LocationView; onDone: () => void }) {
  const api = useApi();
  const zone = location.time_zone;
  const policies = useVisitorPolicies(location.id);
  const now = useNow();
  const [host, setHost] = useState<PersonView>();
  const [failure, setFailure] = useState<string>();
  const slot = nextSlot(now, zone, 2);
  const form = useForm(
    { name: '', email: '', host_id: '', policy_id: '', expected_arrival: slot.start, expected_departure: slot.end },
    (v) => ({
      name: v.name.trim() ? undefined : "Enter the visitor's name.",
      email: /^[^@\s]+@[^@\s]+$/.test(v.email.trim()) ? undefined : 'Enter an e-mail address, as in name@example.com.',
      expected_arrival: parseWallClock(v.expected_arrival) ? undefined : 'Enter when the visitor arrives.',
      expected_departure: !parseWallClock(v.expected_departure)
        ? 'Enter when the visitor leaves.'
        : v.expected_departure <= v.expected_arrival
          ? 'Departure must be after arrival.'
          : undefined,
    }),
  );
  const register = useAction(api.passes.registerVisitor, {
    done: (r) =>
      r.visitor_created ? `${r.visitor.name} is expected` : `${r.visitor.name} (already known) is expected`,
    invalidates,
    quiet: true,
    onDone,
  });
  const policyId = form.values.policy_id || String(policies.data?.[0]?.id ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const arrival = parseWallClock(form.values.expected_arrival);
    const departure = parseWallClock(form.values.expected_departure);
    if (!form.touchAll() || !arrival || !departure) return;
    if (!host) {
      setFailure('Choose the host: the person who expects the visitor.');
      return;
    }
    setFailure(undefined);
    register.mutate(
      {
        name: form.values.name.trim(),
        email: form.values.email.trim(),
        host_id: host.id,
        policy_id: Number(policyId),
        expected_arrival: instantOfWallClock(arrival, zone).toISOString(),
        expected_departure: instantOfWallClock(departure, zone).toISOString(),
      },
      { onError: (error) => setFailure(form.takeServerError(error)) },
    );
  };
  if (policies.data && policies.data.length === 0) {
    return (
      <Notice tone="info">No visitor policy at this location yet: an admin adds one (Admin › Door access).</Notice>
    );
  }
  return (
    <Card title="Register a visitor" labelId="register-visitor">
      <form className="form" onSubmit={submit} noValidate aria-label="Register a visitor">
        {failure && <Notice tone="danger">{failure}</Notice>}
        <div className="form-row">
          <TextField
            label="Visitor's name"
            value={form.values.name}
            maxLength={200}
            onChange={(e) => form.set('name', e.target.value)}
            problem={form.problem('name')}
          />
          <TextField
            label="Visitor's e-mail"
            type="email"
            value={form.values.email}
            maxLength={254}
            onChange={(e) => form.set('email', e.target.value)}
            problem={form.problem('email')}
          />
        </div>
        <PersonFinder
          label="Host"
          picked={host ? [host] : []}
          onPick={setHost}
          onRemove={() => setHost(undefined)}
          problem={form.problem('host_id')}
        />
        <div className="form-row">
          <SelectField
            label="Visitor policy"
            value={policyId}
            onChange={(e) => form.set('policy_id', e.target.value)}
            options={(policies.data ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
          />
          <DateTimeField
            label={`Arrives (${zone})`}
            value={form.values.expected_arrival}
            onChange={(value) => form.set('expected_arrival', value)}
            problem={form.problem('expected_arrival')}
          />
          <DateTimeField
            label={`Leaves (${zone})`}
            value={form.values.expected_departure}
            onChange={(value) => form.set('expected_departure', value)}
            problem={form.problem('expected_departure')}
          />
        </div>
        <Button type="submit" variant="primary" busy={register.isPending}>
          Register visitor
        </Button>
      </form>
    </Card>
  );
}

function ExpectedVisitors({ visits, zone }: { visits: ExpectedVisitView[]; zone: string }) {
  const api = useApi();
  const [ending, setEnding] = useState<ExpectedVisitView>();
  const end = useAction((id: number) => api.passes.cancelVisit(id), {
    done: 'Visit ended; the Kisi access link is being revoked',
    invalidates,
    onDone: () => setEnding(undefined),
  });
  return (
    <>
      <Table<ExpectedVisitView>
        caption="Expected visitors that day"
        rows={visits}
        rowKey={(v) => v.visit.id}
        empty="No visitors expected that day."
        columns={[
          {
            header: 'Visitor',
            cell: (v) => (
              <>
                <strong>{v.visitor.name}</strong>
                <br />
                <span className="muted">{v.visitor.email}</span>
              </>
            ),
          },
          { header: 'Host', cell: (v) => v.visit.host?.name ?? '—' },
          { header: 'Expected', cell: (v) => formatWindow(v.visit.expected_arrival, v.visit.expected_departure, zone) },
          {
            header: 'Status',
            cell: (v) => {
              const words = v.visit.cancelled_at
                ? { label: 'Ended early', tone: 'neutral' as const }
                : STATUS_WORDS[v.status];
              return <Badge tone={words.tone}>{words.label}</Badge>;
            },
          },
          { header: 'Kisi access link', cell: (v) => <AccessLink visit={v} /> },
          {
            header: 'Actions',
            hideHeader: true,
            cell: (v) =>
              v.status === 'ended' ? null : (
                <Button size="small" onClick={() => setEnding(v)}>
                  End visit now
                </Button>
              ),
          },
        ]}
      />
      <Dialog open={ending !== undefined} title="End this visit now?" onClose={() => setEnding(undefined)}>
        {ending && (
          <>
            <p>{ending.visitor.name}'s Kisi access link stops working now. The visit stays in the list as ended.</p>
            <DialogActions>
              <Button onClick={() => setEnding(undefined)}>Keep the visit</Button>
              <Button variant="danger" busy={end.isPending} onClick={() => end.mutate(ending.visit.id)}>
                End visit now
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </>
  );
}

/** The visitor's link: copy it, show it as a QR code, or send it by e-mail (a prefilled mailto:). */
export function AccessLink({ visit }: { visit: ExpectedVisitView }) {
  const [copied, setCopied] = useState(false);
  const [showQr, setShowQr] = useState(false);
  const link = visit.access_link;
  switch (link.state) {
    case 'being_prepared':
      return <span role="status">Being prepared in Kisi…</span>;
    case 'not_received':
      return <span>Kisi e-mailed the link to the visitor; Doorlink did not receive it.</span>;
    case 'none':
      return (
        <span className="muted">
          {visit.status === 'ended' ? 'No longer valid' : 'None (the policy opens no doors)'}
        </span>
      );
    case 'ready':
      break;
  }
  const url = link.url ?? '';
  const subject = 'Your access link';
  const body = `Hello ${visit.visitor.name},\n\nthis link opens the door for your visit:\n${url}\n`;
  const mailto = `mailto:${encodeURIComponent(visit.visitor.email)}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
  return (
    <div className="stack">
      <a href={url} target="_blank" rel="noreferrer" style={{ wordBreak: 'break-all' }}>
        {url}
      </a>
      <div className="row">
        <Button
          size="small"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy link'}
        </Button>
        <Button size="small" onClick={() => setShowQr((s) => !s)} aria-expanded={showQr}>
          {showQr ? 'Hide QR code' : 'QR code'}
        </Button>
        <a className="button" data-variant="secondary" data-size="small" href={mailto}>
          Send by e-mail
        </a>
      </div>
      {showQr && link.qr_svg && (
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(link.qr_svg)}`}
          alt={`QR code of ${visit.visitor.name}'s Kisi access link`}
          width={200}
          height={200}
        />
      )}
    </div>
  );
}

function DayPasses({ passes }: { passes: DeskDayPassView[] }) {
  const api = useApi();
  const [cancelling, setCancelling] = useState<DeskDayPassView>();
  const cancel = useAction((id: number) => api.passes.cancelDayPass(id), {
    done: 'Day pass cancelled; its access is revoked',
    invalidates,
    onDone: () => setCancelling(undefined),
  });
  return (
    <>
      <Table<DeskDayPassView>
        caption="Day passes that day"
        rows={passes}
        rowKey={(p) => p.pass.id}
        empty="No day passes that day."
        columns={[
          { header: 'Holder', cell: (p) => p.holder.name },
          { header: 'Product', cell: (p) => p.product_name },
          {
            header: 'Status',
            cell: (p) =>
              p.pass.cancelled_at ? <Badge tone="neutral">Cancelled</Badge> : <Badge tone="success">Valid</Badge>,
          },
          {
            header: 'Actions',
            hideHeader: true,
            cell: (p) =>
              p.pass.cancelled_at ? null : (
                <Button size="small" onClick={() => setCancelling(p)}>
                  Cancel day pass
                </Button>
              ),
          },
        ]}
      />
      <Dialog open={cancelling !== undefined} title="Cancel this day pass?" onClose={() => setCancelling(undefined)}>
        {cancelling && (
          <>
            <p>
              {cancelling.holder.name}'s {cancelling.product_name} for {cancelling.pass.date} stops opening doors now.
              The pass stays listed as cancelled.
            </p>
            <DialogActions>
              <Button onClick={() => setCancelling(undefined)}>Keep the pass</Button>
              <Button variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate(cancelling.pass.id)}>
                Cancel day pass
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </>
  );
}
