import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { ConsultationDto } from '@concord/contracts';
import { GCM_CONSULTATIONS, type GcmConsultation } from '@concord/reference';

export function toConsultationDto(consultation: GcmConsultation): ConsultationDto {
  return {
    id: consultation.id,
    number: consultation.number,
    title: consultation.title,
    theme: consultation.theme,
    venue: consultation.venue,
    startDate: consultation.start_date,
    endDate: consultation.end_date,
    questions: consultation.questions.map(({ id, question }) => ({ id, question })),
  };
}

/** The GCM consultations of the reference data, with their guiding questions: any signed-in user may read them. */
@ApiTags('submissions')
@ApiBearerAuth()
@Controller('consultations')
export class ConsultationsController {
  @Get()
  list(): ConsultationDto[] {
    return GCM_CONSULTATIONS.map(toConsultationDto);
  }
}
