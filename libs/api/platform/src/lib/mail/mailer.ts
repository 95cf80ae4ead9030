import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { rootLogger } from '../logging/logger';

const log = rootLogger.child({ context: 'Mailer' });

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface MailSettings {
  /** SMTP_URL (e.g. `smtp://user:pass@mail.example.org:587`); email is off without it. */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM, default `Concord <no-reply@concord.local>`. */
  readonly from: string;
  /** PUBLIC_URL: the address users reach the web app at, for links in mails (default http://localhost:PORT). */
  readonly publicUrl: string;
}

export function mailSettingsFrom(env: NodeJS.ProcessEnv): MailSettings {
  const publicUrl = (env['PUBLIC_URL'] ?? `http://localhost:${env['PORT'] ?? 3000}`).replace(/\/+$/, '');
  return { smtpUrl: env['SMTP_URL'] || undefined, from: env['MAIL_FROM'] || 'Concord <no-reply@concord.local>', publicUrl };
}

/**
 * Sends mail through SMTP (nodemailer). One per process; off without SMTP_URL (said once at start).
 * Callers decide what is sent once (see the notification delivery); this only sends.
 */
@Injectable()
export class Mailer implements OnModuleInit, OnApplicationShutdown {
  readonly settings = mailSettingsFrom(process.env);
  private transport: Transporter | undefined;

  get enabled(): boolean {
    return this.settings.smtpUrl !== undefined;
  }

  /** An absolute link to a path of the web app. */
  link(path: string): string {
    return `${this.settings.publicUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }

  onModuleInit(): void {
    if (!this.enabled) {
      log.info('email is off: SMTP_URL is not set (notifications stay in the app; invitation links are shown to the administrator)');
      return;
    }
    this.transport = createTransport(this.settings.smtpUrl as string);
    const url = new URL(this.settings.smtpUrl as string);
    log.info({ host: url.hostname, port: url.port || undefined, from: this.settings.from }, 'email on: sending through SMTP');
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.transport) throw new Error('Email is off (SMTP_URL is not set).');
    await this.transport.sendMail({ from: this.settings.from, to: message.to, subject: message.subject, text: message.text });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
