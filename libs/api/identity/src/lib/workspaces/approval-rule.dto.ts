import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import type { ApprovalRuleRequest } from '@concord/contracts';

/** `PUT /api/workspaces/<id>/approval-rule`; the workspace decider checks the approvers are chairs and the count fits. */
export class ApprovalRuleBodyDto implements ApprovalRuleRequest {
  @ApiProperty({ type: [String], description: 'User ids of chairs of the workspace; [] goes back to "any one chair"' })
  @IsArray({ message: 'approvers must be a list of user ids (an empty list: any one chair approves)' })
  @ArrayMaxSize(50, { message: 'An approval rule names at most 50 approvers' })
  @IsString({ each: true, message: 'approvers must be a list of user ids' })
  @MaxLength(200, { each: true })
  approvers!: string[];

  @ApiPropertyOptional({ description: 'How many of the approvers must approve the same revision (1 to the number of approvers)' })
  @IsOptional()
  @IsInt({ message: 'required must be a whole number from 1 to the number of approvers' })
  required?: number;
}
