import './quiet-logs';
import { ConflictException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { DomainError, normalizeEmail } from '@concord/domain';
import { Principal, rootLogger, UserDirectory } from '@concord/api/platform';
import { RegisterUserCommand } from '@concord/api/identity';
import { AppModule } from './app/app.module';

/**
 * `npm run create-admin -- --email <e> [--name <n>]`: creates the first platform admin of a real
 * deployment through the same command (and deciders) as any registration. The password comes from
 * standard input when it is not a terminal; otherwise one is generated and printed once.
 * Exit codes: 0 created · 1 refused (bad arguments, the email exists, password too short) · 2 could not run.
 */

const MIN_PASSWORD_LENGTH = 12;
const SYSTEM: Principal = { userId: 'system', email: 'system@concord.local', name: 'Concord (create-admin)', isAdmin: true, sessionId: 'create-admin' };
const USAGE = 'usage: npm run create-admin -- --email <email> [--name <name>]   (password on standard input, or generated)';

class Refused extends Error {}

function parseArguments(argv: string[]): { email: string; name: string } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (key !== '--email' && key !== '--name') throw new Refused(`unknown argument ${key}\n${USAGE}`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Refused(`${key} needs a value\n${USAGE}`);
    values[key.slice(2)] = value;
  }
  if (!values['email']) throw new Refused(`--email is required\n${USAGE}`);
  return { email: normalizeEmail(values['email']), name: values['name']?.trim() || 'Platform administrator' };
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The password given on standard input (its final line break removed), or a generated one. */
async function choosePassword(): Promise<{ password: string; generated: boolean }> {
  const given = process.stdin.isTTY ? '' : (await readStandardInput()).replace(/\r?\n$/, '');
  if (given === '') return { password: randomBytes(18).toString('base64url'), generated: true };
  if (given.length < MIN_PASSWORD_LENGTH) {
    throw new Refused(`the password on standard input has ${given.length} characters; give at least ${MIN_PASSWORD_LENGTH}`);
  }
  return { password: given, generated: false };
}

async function createAdmin(): Promise<void> {
  const { email, name } = parseArguments(process.argv.slice(2));
  const { password, generated } = await choosePassword();
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    if (await app.get(UserDirectory).byEmail(email)) throw new Refused(`A user with the email ${email} already exists. Nothing created.`);
    let userId: string;
    try {
      ({ userId } = await app.get(CommandBus).execute(new RegisterUserCommand(email, name, password, true, SYSTEM)));
    } catch (error) {
      if (error instanceof ConflictException || error instanceof DomainError) throw new Refused(`${error.message} Nothing created.`);
      throw error;
    }
    const lines = [`Created the platform admin ${email} (${name}, user id ${userId}).`];
    if (generated) lines.push(`Password (shown only this once; keep it safe and change it after signing in): ${password}`);
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await app.close();
  }
}

createAdmin().then(
  () => process.exit(0),
  (error) => {
    if (error instanceof Refused) {
      process.stderr.write(`create-admin: REFUSED: ${error.message}\n`);
      process.exit(1);
    }
    rootLogger.fatal({ err: error }, 'create-admin could not run');
    process.stderr.write(`create-admin: could not run: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
