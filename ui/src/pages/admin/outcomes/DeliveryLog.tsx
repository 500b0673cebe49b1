/**
 * An outcome endpoint's delivery log (issue 15): newest first, by status, a page at a time; each
 * delivery's event, when, where it stands in words, the endpoint's last answer, the body as sent,
 * and "Send again" (same event id) for one delivered or given up on. No change notice tells of
 * deliveries: while something waits, the open log polls every 5 s.
 */
import { useQuery } from '@tanstack/react-query';
import { CursorPager, useCursorPages } from '../../../components/CursorPager';
import { useState } from 'react';
import { useApi } from '../../../api/context';
import { describeError } from '../../../api/errors';
import { useAction } from '../../../api/hooks';
import { queryKeys } from '../../../api/queries';
import { Button } from '../../../components/Button';
import { SelectField } from '../../../components/Field';
import { Badge, Notice } from '../../../components/Notice';
import { Loading } from '../../../components/Progress';
import { Table } from '../../../components/Table';
import type { OutcomeDeliveriesQuery } from '../../../gen/OutcomeDeliveriesQuery';
import type { OutcomeDeliveryView } from '../../../gen/OutcomeDeliveryView';
import type { OutcomeEndpointView } from '../../../gen/OutcomeEndpointView';
import { formatTimestamp } from '../../../time/format';
import { zoneName } from '../../../time/locationZone';
import {
  DELIVERY_STATUSES,
  canSendAgain,
  deliveriesPollInterval,
  deliveryStatusWords,
  deliveryTone,
  lastAnswerWords,
  prettyBody,
} from './outcomeWords';

export function DeliveryLog({ endpoint, zone }: { endpoint: OutcomeEndpointView; zone: string }) {
  const api = useApi();
  const [status, setStatus] = useState('');
  const pages = useCursorPages();
  const query: OutcomeDeliveriesQuery = { status: status || null, before: pages.before, limit: 50 };
  const log = useQuery({
    queryKey: queryKeys.outcomeDeliveries(endpoint.id, query),
    queryFn: () => api.outcomes.deliveries(endpoint.id, query),
    placeholderData: (previous) => previous,
    refetchInterval: (q) => deliveriesPollInterval(q.state.data, endpoint.pending),
  });
  const sendAgain = useAction((delivery: OutcomeDeliveryView) => api.outcomes.sendAgain(delivery.id), {
    done: (d) => `The ${d.event_type} event is queued again, with the same event id`,
    invalidates: ['outcomes'],
  });
  return (
    <section className="stack" aria-label={`Delivery log of ${endpoint.url}`}>
      <div className="form-row">
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            pages.reset();
          }}
          options={DELIVERY_STATUSES}
        />
      </div>
      {log.isPending && <Loading what="the deliveries" />}
      {log.error && <Notice tone="danger">{describeError(log.error)}</Notice>}
      {log.data && (
        <>
          <Table<OutcomeDeliveryView>
            caption={`Deliveries to ${endpoint.url}, newest first (times in ${zoneName(zone)})`}
            rows={log.data.deliveries}
            rowKey={(d) => d.id}
            empty="None."
            columns={[
              { header: 'Event', cell: (d) => <span className="mono">{d.event_type}</span> },
              { header: 'When', cell: (d) => formatTimestamp(d.created_at, zone) },
              {
                header: 'Status',
                cell: (d) => <Badge tone={deliveryTone(d.status)}>{deliveryStatusWords(d, zone)}</Badge>,
              },
              { header: 'Last answer', cell: (d) => lastAnswerWords(d) },
              {
                header: 'Body',
                cell: (d) => (
                  <details>
                    <summary>Body</summary>
                    <p className="muted">
                      Event id (its Idempotency-Key): <span className="mono">{d.event_id}</span>
                    </p>
                    <pre className="mono delivery-body">{prettyBody(d.body)}</pre>
                  </details>
                ),
              },
              {
                header: 'Actions',
                hideHeader: true,
                cell: (d) =>
                  canSendAgain(d) && (
                    <Button
                      size="small"
                      aria-label={`Send again the ${d.event_type} event of ${formatTimestamp(d.created_at, zone)}`}
                      busy={sendAgain.isPending && sendAgain.variables?.id === d.id}
                      onClick={() => sendAgain.mutate(d)}
                    >
                      Send again
                    </Button>
                  ),
              },
            ]}
          />
          <CursorPager pages={pages} next={log.data.next_before} />
        </>
      )}
    </section>
  );
}
