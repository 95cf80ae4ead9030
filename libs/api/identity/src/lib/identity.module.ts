import { Module, OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CONCORD_CONFIG, ConcordConfig, ProjectionRegistry } from '@concord/api/platform';
import { ACCOUNT_CONFIG, loadAccountConfig } from './account/account-config';
import { AccountSignInController } from './account/account-sign-in.controller';
import { AccountController } from './account/account.controller';
import { accountProjection } from './account/account.projection';
import { AccountService } from './account/account.service';
import { AdminUsersController } from './account/admin-users.controller';
import { MfaEnrolmentGate } from './account/mfa-enrolment.gate';
import { AuthController } from './auth/auth.controller';
import { SessionsController } from './auth/sessions.controller';
import { SignIns } from './auth/sign-in.service';
import { UserProfiles } from './auth/user-profile.service';
import { identityProjection } from './identity.projection';
import { InvitationsController, WorkspaceInvitationsController } from './invitations/invitations.controller';
import { Invitations } from './invitations/invitations.service';
import { DisableUserHandler } from './users/disable-user.handler';
import { RegisterUserHandler } from './users/register-user.handler';
import { UsersController } from './users/users.controller';
import { ChangeWorkspaceHandler } from './workspaces/change-workspace.handler';
import { WorkspaceQueries } from './workspaces/workspace-queries.service';
import { WorkspacesController } from './workspaces/workspaces.controller';

/** Sign-in, users and ISCM workspaces with their members. */
@Module({
  controllers: [AuthController, SessionsController, AccountSignInController, AccountController, AdminUsersController, UsersController, WorkspacesController, WorkspaceInvitationsController, InvitationsController],
  providers: [
    UserProfiles,
    SignIns,
    WorkspaceQueries,
    Invitations,
    RegisterUserHandler,
    DisableUserHandler,
    ChangeWorkspaceHandler,
    {
      provide: ACCOUNT_CONFIG,
      inject: [CONCORD_CONFIG],
      useFactory: (config: ConcordConfig) => loadAccountConfig(process.env, config.jwtSecret),
    },
    AccountService,
    { provide: APP_INTERCEPTOR, useClass: MfaEnrolmentGate },
  ],
  exports: [WorkspaceQueries, SignIns, AccountService],
})
export class IdentityModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  onModuleInit(): void {
    this.projections.register(identityProjection);
    this.projections.register(accountProjection);
  }
}
