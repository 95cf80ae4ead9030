/**
 * A user with no role in the workspace cannot open a proposal: the page says it is not available
 * (and opens no socket), and the collaboration socket refuses them before any document byte.
 */
import type { Browser } from 'playwright-core';
import WebSocket from 'ws';
import {
  type ConcordServer,
  allowConsoleErrors,
  expectAccessible,
  findProposal,
  loginAs,
  newBrowser,
  newPage,
  registerUser,
  startServer,
} from './support';

const TITLE = 'Employer-pays principle for recruitment costs in the Asia–Gulf corridor';
const OUTSIDER = { email: 'outsider@example.org', name: 'Olu Outsider', password: 'outsider-password-1' };

/** Opens the collaboration socket; resolves with how it ended and whether any message came first. */
function probeCollabSocket(url: string): Promise<{ closeCode: number | null; httpStatus: number | null; messages: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    let messages = 0;
    socket.on('message', () => messages++);
    socket.on('unexpected-response', (_request, response) => {
      resolve({ closeCode: null, httpStatus: response.statusCode ?? null, messages });
      socket.terminate();
    });
    socket.on('close', (code) => resolve({ closeCode: code, httpStatus: null, messages }));
    socket.on('error', () => undefined);
  });
}

describe('a user without a role in the workspace', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    await registerUser(server, OUTSIDER);
  });

  it('cannot open the proposal, in the page or on the socket', async () => {
    const proposal = await findProposal(server, TITLE);
    const page = await newPage(browser, server, { label: 'outsider' });
    // The browser logs the refused GET /api/proposals/<id> itself.
    allowConsoleErrors(page, /status of 404/);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));

    await loginAs(page, OUTSIDER.email, { password: OUTSIDER.password });
    await page.goto(`/proposals/${proposal.id}`);
    const notFound = page.getByTestId('proposal-not-found');
    await notFound.waitFor();
    await expect(notFound.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Proposal not available');
    await expect(page.getByText(TITLE).count()).resolves.toBe(0);
    expect(sockets).toEqual([]);
    await expectAccessible(page, 'the proposal-not-available page');

    const token = await server.login(OUTSIDER.email, OUTSIDER.password);
    const { ticket } = (await server.api(token).post('/api/collab/tickets', {})).body as { ticket: string };
    const refused = await probeCollabSocket(`${server.collabUrl}/${proposal.id}?ticket=${ticket}`);
    expect(refused).toEqual({ closeCode: 4403, httpStatus: null, messages: 0 });
  });
});
