/**
 * A drafter loses the network, keeps typing (the editor says offline, with the unsynced changes),
 * and comes back: the text reaches the other drafter. Edits that could not be sent also survive a
 * reload of the page (y-indexeddb) and go out once the server can be reached.
 */
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import {
  type ConcordServer,
  createProposal,
  editorContent,
  editorText,
  eventually,
  newBrowser,
  openProposalAs,
  sleep,
  startServer,
  typeAtEnd,
  waitForEditor,
} from './support';

const TITLE = 'Offline: consular support for workers in distress';
const RELOAD_TITLE = 'Offline: reintegration support on return';

describe('editing offline', () => {
  let server: ConcordServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), newBrowser()]);
    const token = await server.login('drafter1');
    await createProposal(server, token, { title: TITLE });
    await createProposal(server, token, { title: RELOAD_TITLE });
  });

  const openAs = (email: string, title = TITLE): Promise<Page> => openProposalAs(browser, server, email, title);

  it('keeps offline edits and sends them when the connection is back', async () => {
    const [amina, rohan] = await Promise.all([openAs('drafter1'), openAs('drafter2')]);
    await typeAtEnd(amina, 'Online first. ');
    await eventually(async () => (await editorText(rohan)).includes('Online first.'), { what: 'the online edit arrives' });

    await amina.context().setOffline(true);
    await amina.locator('[data-testid="connection-state"][data-state="offline"]').waitFor();
    await typeAtEnd(amina, 'Written while offline.');
    await expect(amina.getByTestId('unsynced-changes').innerText()).resolves.toMatch(/\d+ unsynced changes/);
    await sleep(1_000);
    expect(await editorText(rohan)).not.toContain('Written while offline.');

    await amina.context().setOffline(false);
    await waitForEditor(amina);
    await expect(amina.getByTestId('unsynced-changes').count()).resolves.toBe(0);
    await eventually(async () => (await editorText(rohan)).includes('Written while offline.'), {
      timeoutMs: 15_000,
      what: 'the offline edit reaches drafter2',
    });
  });

  it('keeps unsent edits across a reload and sends them once the server is reachable', async () => {
    const [amina, rohan] = await Promise.all([openAs('drafter1', RELOAD_TITLE), openAs('drafter2', RELOAD_TITLE)]);
    await typeAtEnd(amina, 'Before the outage. ');
    await eventually(async () => (await editorText(rohan)).includes('Before the outage.'), { what: 'the first edit arrives' });

    // The collaboration server becomes unreachable (the page itself still loads): from the next
    // page load on, sockets open to nowhere and never sync. The text comes from this device.
    const cut: WebSocketRoute[] = [];
    let serverReachable = false;
    await amina.context().routeWebSocket(/\/collab\//, (socket) => {
      if (serverReachable) socket.connectToServer();
      else cut.push(socket);
    });
    await amina.reload();
    await editorContent(amina).waitFor();
    await eventually(() => cut.length > 0, { what: 'the editor connects through the cut route' });
    await expect(amina.getByTestId('connection-state').getAttribute('data-state')).resolves.toBe('connecting');

    await typeAtEnd(amina, 'Typed during the outage.');
    await expect(amina.getByTestId('unsynced-changes').innerText()).resolves.toMatch(/\d+ unsynced changes/);
    await sleep(500); // y-indexeddb writes asynchronously

    // Reload: the text and the count of unsent changes come back from this device.
    await amina.reload();
    await editorContent(amina).waitFor();
    await eventually(async () => (await editorText(amina)).includes('Typed during the outage.'), { what: 'the edit survived the reload' });
    await expect(amina.getByTestId('unsynced-changes').innerText()).resolves.toMatch(/\d+ unsynced changes/);
    expect(await editorText(rohan)).not.toContain('Typed during the outage.');

    // The server is reachable again; the next time the page is opened the edit goes out.
    serverReachable = true;
    await amina.reload();
    await waitForEditor(amina);
    await expect(amina.getByTestId('unsynced-changes').count()).resolves.toBe(0);
    await eventually(async () => (await editorText(rohan)).includes('Typed during the outage.'), {
      timeoutMs: 15_000,
      what: 'the edit made before the reload reaches drafter2',
    });
  });
});
