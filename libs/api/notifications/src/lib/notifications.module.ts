import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry, READ_MODEL_DATABASE, ReadModelDatabase } from '@concord/api/platform';
import { DeadlineReminders, REMINDER_SETTINGS, ReminderSettings } from './deadline-reminders.service';
import { EMAIL_DELIVERY_SETTINGS, EmailDelivery, emailDeliverySettingsFrom } from './email-delivery.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsProjection } from './notifications.projection';
import { Notifications } from './notifications.service';

function reminderSettingsFrom(env: NodeJS.ProcessEnv): ReminderSettings {
  const whole = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 50) throw new Error(`${name} must be a whole number of milliseconds ≥ 50 (got "${raw}")`);
    return value;
  };
  return { checkMs: whole('REMINDER_CHECK_MS', 60_000), leadMs: whole('REMINDER_LEAD_MS', 24 * 60 * 60_000) };
}

/**
 * Notifications (issue 14 §5): one projection derives them from the log (`rm_notifications`), the
 * inbox and preferences over REST, email delivery claimed once across nodes, and the reminders of
 * deadlines within 24 hours.
 */
@Module({
  controllers: [NotificationsController],
  providers: [
    Notifications,
    EmailDelivery,
    DeadlineReminders,
    { provide: EMAIL_DELIVERY_SETTINGS, useFactory: () => emailDeliverySettingsFrom(process.env) },
    { provide: REMINDER_SETTINGS, useFactory: () => reminderSettingsFrom(process.env) },
  ],
  exports: [Notifications],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionRegistry,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
  ) {}

  onModuleInit(): void {
    this.projections.register(new NotificationsProjection(this.db));
  }
}
