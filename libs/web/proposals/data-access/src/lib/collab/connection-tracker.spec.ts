import { ConnectionTracker, refusalOf } from './connection-tracker';

describe('ConnectionTracker', () => {
  it('is connecting until the provider has connected and synced', () => {
    const tracker = new ConnectionTracker();
    expect(tracker.view()).toEqual({ state: 'connecting', unsyncedChanges: 0, refusal: null });
    expect(tracker.providerStatus('connected').state).toBe('connecting');
    expect(tracker.providerSynced(true).state).toBe('connected');
  });

  it('does not count changes made while connected and synced: they go out at once', () => {
    const tracker = new ConnectionTracker();
    tracker.providerStatus('connected');
    tracker.providerSynced(true);
    expect(tracker.localChange().unsyncedChanges).toBe(0);
  });

  it('counts changes made while the connection is down and clears them when the provider syncs again', () => {
    const tracker = new ConnectionTracker();
    tracker.providerStatus('connected');
    tracker.providerSynced(true);

    expect(tracker.providerStatus('disconnected')).toEqual({ state: 'reconnecting', unsyncedChanges: 0, refusal: null });
    tracker.localChange();
    tracker.localChange();
    expect(tracker.localChange().unsyncedChanges).toBe(3);

    // Connected again but not yet synced: the changes are still on their way.
    expect(tracker.providerStatus('connected')).toEqual({ state: 'reconnecting', unsyncedChanges: 3, refusal: null });
    expect(tracker.providerSynced(true)).toEqual({ state: 'connected', unsyncedChanges: 0, refusal: null });
  });

  it('says offline when the browser is offline, whatever the socket claims, and counts the changes', () => {
    const tracker = new ConnectionTracker();
    tracker.providerStatus('connected');
    tracker.providerSynced(true);

    expect(tracker.browserConnectivity(false).state).toBe('offline');
    expect(tracker.localChange()).toEqual({ state: 'offline', unsyncedChanges: 1, refusal: null });

    // Back online: reconnecting until the provider has synced the change.
    tracker.browserConnectivity(true);
    expect(tracker.providerStatus('disconnected').state).toBe('reconnecting');
    tracker.providerStatus('connected');
    expect(tracker.providerSynced(true)).toEqual({ state: 'connected', unsyncedChanges: 0, refusal: null });
  });

  it('starts offline when the browser is, and takes over changes restored from this device', () => {
    const tracker = new ConnectionTracker({ online: false });
    expect(tracker.restoredUnsynced(4)).toEqual({ state: 'offline', unsyncedChanges: 4, refusal: null });
    expect(tracker.localChange().unsyncedChanges).toBe(5);
  });

  it('ignores restored changes once the provider has synced them already', () => {
    const tracker = new ConnectionTracker();
    tracker.providerStatus('connected');
    tracker.providerSynced(true);
    expect(tracker.restoredUnsynced(4).unsyncedChanges).toBe(0);
  });

  it('ignores a sync report that arrives after the socket closed', () => {
    const tracker = new ConnectionTracker();
    tracker.providerStatus('disconnected');
    expect(tracker.providerSynced(true).state).toBe('connecting');
  });

  it('reports a refusal for good, with its reason', () => {
    const tracker = new ConnectionTracker();
    tracker.providerStatus('connected');
    expect(tracker.refused(4403)).toEqual({ state: 'refused', unsyncedChanges: 0, refusal: 'forbidden' });
    expect(tracker.providerStatus('connecting').state).toBe('refused');
  });

  it('maps the server close codes to reasons', () => {
    expect([4401, 4403, 4404, 1011].map(refusalOf)).toEqual(['unauthenticated', 'forbidden', 'not-found', 'other']);
  });
});
