/**
 * `npm run verify [-- --checkpoint <file> [--public-key <pem>]]`: re-checks every hash chain of the
 * store configured by the environment (EVENT_STORE, DATA_DIR, DATABASE_URL — see
 * createEventStoreFromEnv).
 *
 * With `--checkpoint <file>` (a checkpoint saved from GET /api/audit/checkpoints) it also proves
 * that the current log extends that checkpoint: the Ed25519 signature is valid for the public key
 * in the file — and is that of `--public-key` (a PEM file, or the PEM text) when given — and the
 * head of every stream as of the checkpoint's global position reproduces its Merkle root. This
 * catches what the chain check cannot: a stream rewritten with every hash recomputed.
 *
 * With `--document <file>` (a DOCX or PDF exported by Concord) it checks that file against the log
 * instead, as `POST /api/documents/verify` does (`judgeDocument` of @concord/document): the
 * `DocumentExported` event its manifest names, each revision it names replayed from the content
 * stream and hashed, and every numbered paragraph of a DOCX against that text. Exit codes: 0 valid;
 * 1 invalid (the revisions whose hash no longer matches, the paragraphs that differ); 2 the file
 * cannot be checked (missing, not a DOCX or PDF, no Concord manifest) or the store is unreachable.
 *
 * Exit codes: 0 every chain intact (and the checkpoint proven); 1 a chain is broken or the
 * checkpoint is not proven (the first broken stream and revision, or what differs from the
 * checkpoint, are printed); 2 the check could not run (usage, configuration, unreadable
 * checkpoint file, store unreachable).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createEventStoreFromEnv, type EventStoreEnv } from '@concord/event-store';
import {
  assertConfiguredSqliteExists,
  CheckpointVerification,
  describeConfiguredStore,
  parseSignedCheckpoint,
  SignedCheckpoint,
  throttledProgress,
  verifyCheckpoint,
  VerifyProgress,
} from '@concord/event-log-tools';
import { type ParallelVerifyReport, verifyEventStoreInParallel } from '@concord/event-log-tools/parallel';
import { checkDocument, describeDocumentCheck, DocumentInputError, readDocumentFile } from './document-check';

const EXIT_NOT_VERIFIED = 1;
const EXIT_CANNOT_VERIFY = 2;
const USAGE =
  'usage: npm run verify [-- --checkpoint <file> [--public-key <pem file or PEM text>]]\n' +
  '       npm run verify -- --document <exported DOCX or PDF>';

interface Arguments {
  checkpointFile?: string;
  publicKey?: string;
  documentFile?: string;
}

class UsageError extends Error {}

function parseArguments(args: string[]): Arguments | 'help' {
  const parsed: Arguments = {};
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    const value = () => {
      const next = args[(index += 1)];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--checkpoint') parsed.checkpointFile = value();
    else if (arg === '--public-key') parsed.publicKey = value();
    else if (arg === '--document') parsed.documentFile = value();
    else throw new UsageError(`unknown argument ${arg}`);
  }
  if (parsed.publicKey !== undefined && parsed.checkpointFile === undefined) {
    throw new UsageError('--public-key only makes sense with --checkpoint');
  }
  if (parsed.documentFile !== undefined && parsed.checkpointFile !== undefined) {
    throw new UsageError('--document and --checkpoint are separate checks: run them one at a time');
  }
  return parsed;
}

/** A PEM given inline, or the contents of a PEM file. */
function readPublicKey(value: string): string {
  if (value.includes('-----BEGIN')) return value;
  if (!existsSync(value)) throw new Error(`no public key file at ${value}`);
  return readFileSync(value, 'utf8');
}

function readCheckpoint(file: string): SignedCheckpoint {
  if (!existsSync(file)) throw new Error(`no checkpoint file at ${file}`);
  try {
    return parseSignedCheckpoint(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function main(args: string[]): Promise<number> {
  let options: Arguments | 'help';
  try {
    options = parseArguments(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return EXIT_CANNOT_VERIFY;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (options.documentFile !== undefined) return verifyDocument(options.documentFile);
  const checkpoint = options.checkpointFile ? readCheckpoint(options.checkpointFile) : undefined;
  const trustedPublicKey = options.publicKey !== undefined ? readPublicKey(options.publicKey) : undefined;

  assertConfiguredSqliteExists(process.env);
  const store = createEventStoreFromEnv(process.env);
  try {
    console.log(`Verifying the ${describeConfiguredStore(process.env)} event store`);
    console.log(
      'Checks per stream: revisions 0..n without gaps, eventId, prevHash links, recomputed hashes, stream head',
    );
    const started = performance.now();
    // Worker threads open the same configured store; a long log is checked as ranges at once.
    const chain = await verifyEventStoreInParallel(store, { source: { env: storeEnv(process.env) }, onProgress: streamProgressPrinter() });
    reportThreads(chain, performance.now() - started);
    const chainIntact = reportChain(chain);
    if (!checkpoint) return chainIntact ? 0 : EXIT_NOT_VERIFIED;

    console.log(
      `Checkpoint: position ${checkpoint.globalPosition}, ${checkpoint.streamCount} streams, Merkle root ${checkpoint.merkleRoot}, ` +
        `signed at ${checkpoint.at}${trustedPublicKey ? ' (signer key pinned with --public-key)' : ' (signer key taken from the file)'}`,
    );
    const proof = await verifyCheckpoint(store, checkpoint, { trustedPublicKey });
    const checkpointProven = reportCheckpoint(checkpoint, proof);
    return chainIntact && checkpointProven ? 0 : EXIT_NOT_VERIFIED;
  } finally {
    await store.close();
  }
}

async function verifyDocument(file: string): Promise<number> {
  let received;
  try {
    received = await readDocumentFile(file);
  } catch (error) {
    if (!(error instanceof DocumentInputError)) throw error;
    console.error(`cannot verify the document: ${error.message}`);
    return EXIT_CANNOT_VERIFY;
  }
  assertConfiguredSqliteExists(process.env);
  const store = createEventStoreFromEnv(process.env);
  try {
    console.log(`Verifying ${file} against the ${describeConfiguredStore(process.env)} event store`);
    const check = await checkDocument(store, received);
    const { out, err } = describeDocumentCheck(check);
    for (const line of out) console.log(line);
    for (const line of err) console.error(line);
    return check.verdict.valid ? 0 : EXIT_NOT_VERIFIED;
  } finally {
    await store.close();
  }
}

/** The part of the environment that names the store, for the worker threads. */
function storeEnv(env: NodeJS.ProcessEnv): EventStoreEnv {
  const { EVENT_STORE, DATA_DIR, DATABASE_URL, KURRENTDB_URL } = env;
  return { EVENT_STORE, DATA_DIR, DATABASE_URL, KURRENTDB_URL };
}

function reportThreads(report: ParallelVerifyReport, ms: number): void {
  const rate = Math.round(report.eventsChecked / Math.max(ms / 1000, 0.001));
  const threads = report.threadsUsed === 1 ? 'one thread' : `${report.threadsUsed} threads (${report.rangesOnWorkers} of ${report.rangesChecked} ranges on workers)`;
  // On a broken log the ranges after the break are not checked: no rate then.
  const took = `${(ms / 1000).toFixed(2)} s`;
  console.log(report.ok ? `chain check on ${threads}: ${report.eventsChecked} events in ${took} (${rate.toLocaleString('en')} events/s)` : `chain check on ${threads}: stopped at the first break after ${took}`);
  if (report.note) console.log(`  ${report.note}`);
}

function reportChain(report: ParallelVerifyReport): boolean {
  if (report.firstBreak) {
    const { stream, revision, reason } = report.firstBreak;
    console.error(`BROKEN: stream ${stream} at revision ${revision ?? '(stream head)'}: ${reason}`);
    console.error(`checked ${report.streamsChecked} intact streams, ${report.eventsChecked} events before it`);
    return false;
  }
  console.log(`checked ${report.streamsChecked} streams, ${report.eventsChecked} events: OK`);
  return true;
}

function reportCheckpoint(checkpoint: SignedCheckpoint, proof: CheckpointVerification): boolean {
  if (proof.signature.ok) {
    console.log(`checkpoint signature: OK (Ed25519, key sha256 ${proof.signature.fingerprint})`);
  }
  for (const problem of proof.problems) console.error(`CHECKPOINT NOT PROVEN: ${problem}`);
  if (proof.fileProofsConsistent) {
    console.log(`checkpoint inclusion proofs: OK — ${checkpoint.proofs?.length ?? 0} stream heads lead to its signed Merkle root`);
  }
  if (proof.ok) {
    console.log(
      `checkpoint: OK — the heads of ${proof.streamCount} streams as of position ${checkpoint.globalPosition} reproduce its Merkle root; ` +
        `the log extends it to position ${proof.headPosition}`,
    );
  }
  return proof.ok;
}

function streamProgressPrinter(): (progress: VerifyProgress) => void {
  const print = throttledProgress<VerifyProgress>(({ streamsChecked, streamsTotal, eventsChecked }) =>
    console.log(`  ${streamsChecked}/${streamsTotal} streams, ${eventsChecked} events`),
  );
  return (progress) => print(progress, progress.streamsChecked === progress.streamsTotal);
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(`verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_CANNOT_VERIFY;
  },
);
