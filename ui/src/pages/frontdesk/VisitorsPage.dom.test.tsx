/**
 * A visitor's Kisi access link on the Visitors page (issue 17, point 9), with the hub's answers as
 * they come: before the sync made the link the desk is told it is being prepared (no link to copy
 * that does not exist); once Kisi answered, the link, its QR code and a prefilled e-mail to the
 * visitor whose address a hostile name cannot break out of.
 */
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ExpectedVisitView } from '../../gen/ExpectedVisitView';
import { AccessLink } from './VisitorsPage';

const URL_OF_LINK = 'https://web.kisi.io/grant_link/abc123';

function visit(access_link: ExpectedVisitView['access_link'], name = 'Vera Visitor'): ExpectedVisitView {
  return {
    visit: {
      id: 7,
      location_id: 1,
      visitor_id: 40,
      policy_id: 2,
      expected_arrival: '2026-12-04T09:00:00Z',
      expected_departure: '2026-12-04T11:00:00Z',
      cancelled_at: null,
      host: { id: 1, name: 'Mia Keller', email: 'mia@harbor.example' },
    },
    visitor: { id: 40, name, email: 'vera@guest.example' },
    policy_name: 'Guests',
    status: 'expected',
    access_link,
  };
}

describe('a visitor’s Kisi access link', () => {
  it('says it is being prepared until Kisi made it, with nothing to copy or send', () => {
    render(<AccessLink visit={visit({ state: 'being_prepared', url: null, qr_svg: null })} />);
    expect(screen.getByRole('status').textContent).toMatch(/Being prepared in Kisi/);
    expect(screen.queryByRole('button', { name: 'Copy link' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Send by e-mail' })).toBeNull();
  });

  it('shows the link, its QR code on demand, and an e-mail to the visitor carrying it', async () => {
    const user = userEvent.setup();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"></svg>';
    render(<AccessLink visit={visit({ state: 'ready', url: URL_OF_LINK, qr_svg: svg }, 'Vera & <Co>?subject=x')} />);
    expect(screen.getByRole('link', { name: URL_OF_LINK }).getAttribute('href')).toBe(URL_OF_LINK);
    const mail = screen.getByRole('link', { name: 'Send by e-mail' }).getAttribute('href') ?? '';
    expect(mail.startsWith('mailto:vera%40guest.example?subject=')).toBe(true);
    // The name sits encoded in the body: it cannot add a second subject or recipient.
    expect(mail.split('?')).toHaveLength(2);
    expect(decodeURIComponent(mail)).toContain(URL_OF_LINK);
    expect(screen.queryByRole('img')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'QR code' }));
    const qr = screen.getByRole('img', { name: /QR code of .*Kisi access link/ });
    expect(qr.getAttribute('src')).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
  });
});
