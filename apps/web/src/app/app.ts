import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, viewChild } from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { NotificationsFeed } from '@concord/web/account/data-access';
import { canAudit } from '@concord/web/audit/data-access';
import { AuthStore } from '@concord/web/core/data-access';
import { TopBar } from '@concord/web/shared/ui';
import { filter, skip, take } from 'rxjs';

@Component({
  selector: 'cc-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, RouterLinkActive, RouterOutlet, TopBar],
  template: `
    <a class="cc-skip-link" href="#main" (click)="skipToMain($event)" i18n="@@app.skipToMain">Skip to main content</a>
    <header>
      <cc-top-bar [userName]="userName()" [roles]="roles()" [unreadCount]="unreadCount()" (signOut)="signOut()" (signOutEverywhere)="signOutEverywhere()" />
      @if (userName()) {
        <nav class="cc-app-nav" i18n-aria-label="@@app.navLabel" aria-label="Sections">
          <a
            class="cc-app-nav__link"
            routerLink="/"
            routerLinkActive="cc-app-nav__link--active"
            [routerLinkActiveOptions]="{ exact: true }"
            ariaCurrentWhenActive="page"
            i18n="@@app.nav.workspaces"
            >My workspaces</a
          >
          @if (canAudit()) {
            <a class="cc-app-nav__link" routerLink="/audit" routerLinkActive="cc-app-nav__link--active" ariaCurrentWhenActive="page" i18n="@@app.nav.audit"
              >Audit</a
            >
          }
          @if (isAdmin()) {
            <a class="cc-app-nav__link" routerLink="/admin/users" routerLinkActive="cc-app-nav__link--active" ariaCurrentWhenActive="page" i18n="@@app.nav.users"
              >Users</a
            >
          }
          <a class="cc-app-nav__link" routerLink="/account" routerLinkActive="cc-app-nav__link--active" ariaCurrentWhenActive="page" i18n="@@app.nav.account"
            >Account</a
          >
        </nav>
      }
    </header>
    <main id="main" #main tabindex="-1">
      <router-outlet />
    </main>
  `,
  styles: `
    main:focus {
      outline: none;
    }

    .cc-app-nav {
      display: flex;
      gap: 4px;
      padding: 0 16px;
      background: var(--mat-sys-surface-container);
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }

    .cc-app-nav__link {
      padding: 10px 12px 8px;
      border-bottom: 3px solid transparent;
      color: var(--mat-sys-on-surface-variant);
      font: var(--mat-sys-label-large);
      text-decoration: none;
    }

    .cc-app-nav__link:hover {
      color: var(--mat-sys-on-surface);
    }

    .cc-app-nav__link--active {
      border-bottom-color: var(--mat-sys-primary);
      color: var(--mat-sys-primary);
    }
  `,
})
export class App {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  protected readonly userName = computed(() => this.auth.user()?.name ?? null);
  protected readonly roles = this.auth.allRoles;
  protected readonly unreadCount = inject(NotificationsFeed).unreadCount;
  /** Auditors and admins (of a workspace or the platform) get a way to the audit pages. */
  protected readonly canAudit = computed(() => canAudit(this.auth.user()));
  protected readonly isAdmin = computed(() => this.auth.user()?.isAdmin === true);

  constructor() {
    const navigations = this.router.events.pipe(filter((event) => event instanceof NavigationEnd));
    // Memberships may have changed since sign-in; re-read them once the first page is known, so a
    // 401 here returns the user to that page after signing in again.
    const firstNavigation = navigations.pipe(take(1)).subscribe(() => {
      if (this.auth.isAuthenticated()) {
        this.auth.refreshUser().catch(() => undefined);
      }
    });
    // After moving to another page, start screen readers and keyboard users at its content.
    const laterNavigations = navigations.pipe(skip(1)).subscribe(() => this.focusMain());
    inject(DestroyRef).onDestroy(() => {
      firstNavigation.unsubscribe();
      laterNavigations.unsubscribe();
    });
  }

  protected async signOut(): Promise<void> {
    await this.auth.logout();
    void this.router.navigate(['/login']);
  }

  protected async signOutEverywhere(): Promise<void> {
    await this.auth.logoutEverywhere();
    void this.router.navigate(['/login']);
  }

  protected skipToMain(event: Event): void {
    event.preventDefault();
    this.focusMain();
  }

  private focusMain(): void {
    this.main().nativeElement.focus({ preventScroll: true });
  }
}
