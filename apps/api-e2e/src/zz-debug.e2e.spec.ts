import { startApi } from './support/api-process';
import { connectClient } from './support/collab-client';
it('x', async () => {
  const s = await startApi();
  const t = await s.login('drafter1');
  const ids = (await s.api(t).get('/api/proposals')).body;
  const c = connectClient(s.collabUrl, ids[0].id, t);
  await c.synced;
  c.close();
  await s.kill();
  await new Promise((r) => setTimeout(r, 500));
  // eslint-disable-next-line
  console.log((process as any)._getActiveHandles().map((h: any) => h.constructor.name + ' ' + (h._idleTimeout ?? '') ), (process as any)._getActiveRequests().length);
});
