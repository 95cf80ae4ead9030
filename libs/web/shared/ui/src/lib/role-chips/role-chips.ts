import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatChipsModule } from '@angular/material/chips';
import type { Role } from '@concord/contracts';
import { roleLabel } from '../labels/labels';

@Component({
  selector: 'cc-role-chips',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatChipsModule],
  template: `
    <mat-chip-set role="list" [attr.aria-label]="ariaLabel()">
      @for (role of labelledRoles(); track role.role) {
        <mat-chip role="listitem" [disableRipple]="true" [class]="role.tone">{{ role.label }}</mat-chip>
      }
    </mat-chip-set>
  `,
  styles: `
    :host {
      display: inline-block;
    }
    mat-chip {
      --mat-chip-container-height: 24px;
    }
  `,
})
export class RoleChips {
  readonly roles = input.required<readonly Role[]>();
  /** What the chips describe, for screen readers ("Your roles", "Your roles in ADD"). */
  readonly ariaLabel = input($localize`:@@roleChips.ariaLabel:Roles`);

  protected readonly labelledRoles = computed(() =>
    this.roles().map((role) => ({ role, label: roleLabel(role), tone: `cc-role cc-role--${role}` })),
  );
}
