import { Module } from '@nestjs/common';
import { CollabModule } from '@concord/api/collab';
import { DraftingModule } from '@concord/api/drafting';
import { ReviewModule } from '@concord/api/review';
import { DocumentExports } from './document-exports.service';
import { DocumentVerification } from './document-verification.service';
import { DocumentsController } from './documents.controller';
import { PdfPrinter } from './pdf-printer';

/** The deliverable: DOCX and PDF exports, redlines, and verification of received documents (issue 13). */
@Module({
  imports: [CollabModule, DraftingModule, ReviewModule],
  controllers: [DocumentsController],
  providers: [DocumentExports, DocumentVerification, PdfPrinter],
})
export class DeliverableModule {}
