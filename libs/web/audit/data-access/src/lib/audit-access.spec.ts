import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { type ActivatedRouteSnapshot, type RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import type { UserDto } from '@concord/contracts';
import { auditGuard, canAudit } from './audit-access';
import { AUDITOR, sessionStorageFor } from './testing/audit-fixtures';

const DRAFTER: UserDto = { ...AUDITOR, id: 'u-drafter', memberships: [{ iscmId: 'add', iscmName: 'ADD', roles: ['drafter', 'chair'] }] };

describe('canAudit', () => {
  it('admits auditors and admins of a workspace, and platform admins', () => {
    expect(canAudit(AUDITOR)).toBe(true);
    expect(canAudit({ ...DRAFTER, memberships: [{ iscmId: 'add', iscmName: 'ADD', roles: ['admin'] }] })).toBe(true);
    expect(canAudit({ ...DRAFTER, memberships: [], isAdmin: true })).toBe(true);
    expect(canAudit(DRAFTER)).toBe(false);
    expect(canAudit({ ...DRAFTER, memberships: [{ iscmId: 'add', iscmName: 'ADD', roles: ['delegate'] }] })).toBe(false);
    expect(canAudit(null)).toBe(false);
  });
});

describe('auditGuard', () => {
  function run(user: UserDto) {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting(), sessionStorageFor(user)] });
    return TestBed.runInInjectionContext(() => auditGuard({} as ActivatedRouteSnapshot, { url: '/audit' } as RouterStateSnapshot)) as Promise<boolean | UrlTree>;
  }

  it('lets an auditor through without asking the server', async () => {
    await expect(run(AUDITOR)).resolves.toBe(true);
    TestBed.inject(HttpTestingController).verify();
  });

  it('re-reads the user before turning them away, and sends them home', async () => {
    const result = run(DRAFTER);
    TestBed.inject(HttpTestingController).expectOne('/api/auth/me').flush(DRAFTER);

    const home = await result;
    expect(home).toBeInstanceOf(UrlTree);
    expect(String(home)).toBe('/');
  });

  it('lets in someone made auditor since they signed in', async () => {
    const result = run(DRAFTER);
    TestBed.inject(HttpTestingController).expectOne('/api/auth/me').flush(AUDITOR);

    await expect(result).resolves.toBe(true);
  });
});
