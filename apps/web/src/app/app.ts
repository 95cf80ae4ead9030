import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, viewChild } from '@angular/core';
import { NavigationEnd, Router, RouterOutlet } from '@angular/router';
import { AuthStore } from '@concord/web/core/data-access';
import { TopBar } from '@concord/web/shared/ui';
import { filter, skip, take } from 'rxjs';

@Component({
  selector: 'cc-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, TopBar],
  template: `
    <a class="cc-skip-link" href="#main" (click)="skipToMain($event)" i18n="@@app.skipToMain">Skip to main content</a>
    <header>
      <cc-top-bar [userName]="userName()" [roles]="roles()" (signOut)="signOut()" />
    </header>
    <main id="main" #main tabindex="-1">
      <router-outlet />
    </main>
  `,
  styles: `
    main:focus {
      outline: none;
    }
  `,
})
export class App {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly main = viewChild.required<ElementRef<HTMLElement>>('main');

  protected readonly userName = computed(() => this.auth.user()?.name ?? null);
  protected readonly roles = this.auth.allRoles;

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

  protected signOut(): void {
    this.auth.logout();
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
