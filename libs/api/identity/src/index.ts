export * from './lib/identity.module';
export * from './lib/identity.projection';
export * from './lib/users/register-user.command';
export * from './lib/workspaces/change-workspace.command';
