import { hmacSha256Hex, sha256Hex } from '@concord/integrity';
import { legacyEmailReservationStream, migratedEmailReservationStream } from './legacy/email-reservation-v1';
import { AGGREGATE_OF_EVENT } from './domain-events';
import { CONTENT_EVENT_TYPES, RECORDED_EVENT_TYPES } from './event-types';
import {
  emailReservationStream,
  parseStream,
  proposalContentStream,
  proposalIdOfContentStream,
  proposalIdOfSnapshotStream,
  proposalSnapshotStream,
  proposalStream,
  proposalThreadsStream,
  proposalSuggestionsStream,
  submissionExportsStream,
  sessionStream,
  SIGNED_CHECKPOINT_STREAM,
  submissionStream,
  userStream,
  workspaceStream,
} from './streams';

const KEY = 'k'.repeat(43);
const OTHER_KEY = 'o'.repeat(43);

describe('stream names', () => {
  it('follow ARCHITECTURE §3', () => {
    expect([userStream('u1'), workspaceStream('add'), submissionStream('s1'), proposalStream('p1'), proposalContentStream('p1')]).toEqual([
      'user-u1',
      'iscm-add',
      'submission-s1',
      'proposal-p1',
      'proposal-p1-content',
    ]);
  });
  it('reserve an email address under an HMAC of its normalised form with the stream key, never its plain hash', () => {
    const name = emailReservationStream(' Chair@Concord.Demo', KEY);
    expect(name).toBe(`user-email-${hmacSha256Hex(KEY, 'email-reservation:chair@concord.demo')}`);
    expect(name).toBe(emailReservationStream('chair@concord.demo', KEY));
    expect(name).not.toContain(sha256Hex('chair@concord.demo'));
    expect(emailReservationStream('chair@concord.demo', OTHER_KEY)).not.toBe(name);
    expect(() => emailReservationStream('chair@concord.demo', '')).toThrow(TypeError);
  });
  it('refuse an empty id', () => {
    expect(() => proposalStream('')).toThrow(TypeError);
  });
  it('name a proposal\'s snapshots apart from its content', () => {
    expect(proposalSnapshotStream('p1')).toBe('proposal-p1-snapshots');
  });
});

describe('parseStream', () => {
  const id = '0b6b3a4e-5d7c-4f8e-9a1b-2c3d4e5f6a7b';
  it('reads back every name the catalog builds', () => {
    expect(
      [
        userStream(id),
        emailReservationStream('a@b.example', KEY),
        sessionStream(id),
        workspaceStream('add'),
        submissionStream(id),
        proposalStream(id),
        proposalContentStream(id),
        proposalSnapshotStream(id),
        proposalThreadsStream(id),
        proposalSuggestionsStream(id),
        submissionExportsStream(id),
        SIGNED_CHECKPOINT_STREAM,
      ].map(parseStream),
    ).toEqual([
      { kind: 'user', id },
      { kind: 'email-reservation', id: hmacSha256Hex(KEY, 'email-reservation:a@b.example') },
      { kind: 'session', id },
      { kind: 'workspace', id: 'add' },
      { kind: 'submission', id },
      { kind: 'proposal', id },
      { kind: 'proposal-content', id },
      { kind: 'proposal-snapshots', id },
      { kind: 'proposal-threads', id },
      { kind: 'proposal-suggestions', id },
      { kind: 'submission-exports', id },
      { kind: 'signed-checkpoints', id: '' },
    ]);
  });
  it('knows no other name, and no name without an id', () => {
    expect(['', 'other-1', 'proposal-', 'user-', 'iscm'].map(parseStream)).toEqual([null, null, null, null, null]);
    expect(parseStream('submission--exports')).toEqual({ kind: 'submission', id: '-exports' });
  });
  it('gives the proposal of a content stream only', () => {
    expect([proposalContentStream(id), proposalStream(id), proposalSnapshotStream(id), 'proposal--content'].map(proposalIdOfContentStream)).toEqual([
      id,
      null,
      null,
      null,
    ]);
  });
  it('gives the proposal of a snapshot stream only', () => {
    expect([proposalSnapshotStream(id), proposalStream(id), proposalContentStream(id), 'proposal--snapshots'].map(proposalIdOfSnapshotStream)).toEqual([
      id,
      null,
      null,
      null,
    ]);
  });
});

describe('event types', () => {
  it('list every recorded type once: the domain events, the content events and the signed checkpoint', () => {
    expect(new Set(RECORDED_EVENT_TYPES).size).toBe(RECORDED_EVENT_TYPES.length);
    expect(RECORDED_EVENT_TYPES).toEqual([...Object.keys(AGGREGATE_OF_EVENT), 'ContentUpdated', 'ContentCheckpointed', 'ContentAccessChanged', 'CheckpointSigned']);
    expect(CONTENT_EVENT_TYPES).toEqual(['ContentUpdated', 'ContentCheckpointed', 'ContentAccessChanged']);
  });
});

describe('legacy email reservation names (before issue 9)', () => {
  const reserved = (email: string) => ({ type: 'EmailReserved', data: { email, userId: 'u1' } });

  it('were the unsalted sha256 of the address, and migrate to the HMAC name', () => {
    const legacy = legacyEmailReservationStream('Chair@Concord.Demo');
    expect(legacy).toBe(`user-email-${sha256Hex('chair@concord.demo')}`);
    expect(migratedEmailReservationStream(legacy, reserved('chair@concord.demo'), KEY)).toBe(emailReservationStream('chair@concord.demo', KEY));
  });
  it('leave every other stream alone: new names, other streams, a name that is not the hash of the address', () => {
    expect(migratedEmailReservationStream(emailReservationStream('a@b.example', KEY), reserved('a@b.example'), KEY)).toBeNull();
    expect(migratedEmailReservationStream('user-u1', reserved('a@b.example'), KEY)).toBeNull();
    expect(migratedEmailReservationStream(legacyEmailReservationStream('a@b.example'), reserved('c@d.example'), KEY)).toBeNull();
    expect(migratedEmailReservationStream(legacyEmailReservationStream('a@b.example'), { type: 'UserRegistered', data: {} }, KEY)).toBeNull();
  });
});
