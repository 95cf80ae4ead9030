import { Injectable, NotFoundException } from '@nestjs/common';
import type { UserDto } from '@concord/contracts';
import { UserDirectory } from '@concord/api/platform';

@Injectable()
export class UserProfiles {
  constructor(private readonly users: UserDirectory) {}

  async profile(userId: string): Promise<UserDto> {
    const user = await this.users.byId(userId);
    if (!user) throw new NotFoundException(`User ${userId} does not exist`);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      isAdmin: user.isAdmin,
      memberships: await this.users.memberships(user.id),
    };
  }
}
