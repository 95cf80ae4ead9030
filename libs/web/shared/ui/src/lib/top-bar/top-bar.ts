import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { RouterLink } from '@angular/router';
import type { Role } from '@concord/contracts';
import { RoleChips } from '../role-chips/role-chips';

/** The application bar: product name, the notification bell, who is signed in and with which roles, Sign out and Sign out everywhere. */
@Component({
  selector: 'cc-top-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatToolbarModule, MatButtonModule, RouterLink, RoleChips],
  templateUrl: './top-bar.html',
  styleUrl: './top-bar.scss',
})
export class TopBar {
  /** The signed-in user's name, or null when nobody is signed in. */
  readonly userName = input<string | null>(null);
  readonly roles = input<readonly Role[]>([]);
  /** Unread notifications (the bell, linking to the inbox); null until known. */
  readonly unreadCount = input<number | null>(null);
  readonly signOut = output<void>();
  /** Ends every session of this user, on every device. */
  readonly signOutEverywhere = output<void>();

  protected readonly rolesLabel = $localize`:@@topBar.rolesLabel:Your roles`;
  protected readonly bellLabel = computed(() => $localize`:@@topBar.bellLabel:Notifications, ${this.unreadCount() ?? 0}:count: unread`);
  /** Announced politely when the count changes (not at all until it is known). */
  protected readonly liveText = computed(() => {
    const count = this.unreadCount();
    return count === null ? '' : $localize`:@@topBar.bellLive:${count}:count: unread notifications`;
  });
}
