import { Module, OnModuleInit } from '@nestjs/common';
import { ProjectionRegistry } from '@concord/api/platform';
import { AuthController } from './auth/auth.controller';
import { SessionsController } from './auth/sessions.controller';
import { SignIns } from './auth/sign-in.service';
import { UserProfiles } from './auth/user-profile.service';
import { identityProjection } from './identity.projection';
import { DisableUserHandler } from './users/disable-user.handler';
import { RegisterUserHandler } from './users/register-user.handler';
import { UsersController } from './users/users.controller';
import { ChangeWorkspaceHandler } from './workspaces/change-workspace.handler';
import { WorkspaceQueries } from './workspaces/workspace-queries.service';
import { WorkspacesController } from './workspaces/workspaces.controller';

/** Sign-in, users and ISCM workspaces with their members. */
@Module({
  controllers: [AuthController, SessionsController, UsersController, WorkspacesController],
  providers: [UserProfiles, SignIns, WorkspaceQueries, RegisterUserHandler, DisableUserHandler, ChangeWorkspaceHandler],
  exports: [WorkspaceQueries, SignIns],
})
export class IdentityModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionRegistry) {}

  onModuleInit(): void {
    this.projections.register(identityProjection);
  }
}
