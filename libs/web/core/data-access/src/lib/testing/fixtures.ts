import type { LoginResponse, UserDto } from '@concord/contracts';

export const DRAFTER: UserDto = {
  id: 'u-drafter',
  email: 'drafter1@concord.demo',
  name: 'Dana Drafter',
  isAdmin: false,
  memberships: [{ iscmId: 'iscm-add', iscmName: 'Abu Dhabi Dialogue', roles: ['drafter'] }],
};

export const CHAIR: UserDto = {
  id: 'u-chair',
  email: 'chair@concord.demo',
  name: 'Chidi Chair',
  isAdmin: false,
  memberships: [
    { iscmId: 'iscm-add', iscmName: 'Abu Dhabi Dialogue', roles: ['chair'] },
    { iscmId: 'iscm-bp', iscmName: 'Bali Process', roles: ['drafter', 'auditor'] },
  ],
};

export function loginResponse(user: UserDto, accessToken = 'token-123', expiresIn = 3600): LoginResponse {
  return { accessToken, expiresIn, user };
}
