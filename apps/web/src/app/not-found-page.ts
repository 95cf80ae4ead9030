import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'cc-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <div class="cc-page">
      <h1 class="cc-page__title" i18n="@@notFound.title">Page not found</h1>
      <p i18n="@@notFound.body">There is nothing at this address. It may have been mistyped, or the item may have moved.</p>
      <a routerLink="/" i18n="@@notFound.home">Go to my workspaces</a>
    </div>
  `,
})
export class NotFoundPage {}
