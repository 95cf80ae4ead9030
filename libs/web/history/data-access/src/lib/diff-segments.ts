import type { DiffDto, MovedBlockDto } from '@concord/contracts';
import { authorColor, authorTint } from '@concord/web/proposals/data-access';

export interface DiffAuthor {
  userId: string;
  userName: string;
  /** The same colour as the author's caret in the editor. */
  color: string;
  tint: string;
  inserted: number;
  deleted: number;
}

export interface DiffSegment {
  type: 'equal' | 'insert' | 'delete';
  text: string;
  author: DiffAuthor | null;
  /** The words carry a suggestion mark: proposed (`insert`) or proposed for deletion (`delete`). */
  suggestion?: 'insert' | 'delete';
}

export interface DiffView {
  from: number;
  to: number;
  segments: DiffSegment[];
  /** Everyone who wrote an inserted or deleted span, with their colour: the legend. */
  authors: DiffAuthor[];
  unchanged: boolean;
  /** Paragraphs that moved (by stable block id): shown as moves besides their deletion and insertion. */
  moved: MovedBlockDto[];
}

/**
 * The server's diff as coloured segments and a legend. A span's author is who wrote that text
 * (server-attested); adjacent spans of the same type and author are merged.
 */
export function toDiffView(diff: DiffDto, nameOf: (userId: string) => string = (id) => id): DiffView {
  const authors = new Map<string, DiffAuthor>();
  const authorFor = (userId: string | undefined): DiffAuthor | null => {
    if (!userId) {
      return null;
    }
    let author = authors.get(userId);
    if (!author) {
      const userName = diff.authors.find((a) => a.userId === userId)?.userName ?? nameOf(userId);
      author = { userId, userName, color: authorColor(userId), tint: authorTint(userId), inserted: 0, deleted: 0 };
      authors.set(userId, author);
    }
    return author;
  };

  const segments: DiffSegment[] = [];
  for (const span of diff.spans) {
    if (span.text.length === 0) {
      continue;
    }
    const author = span.type === 'equal' ? null : authorFor(span.userId);
    if (author) {
      author[span.type === 'insert' ? 'inserted' : 'deleted'] += span.text.length;
    }
    const previous = segments.at(-1);
    if (previous && previous.type === span.type && previous.author === author && previous.suggestion === span.suggestion) {
      previous.text += span.text;
    } else {
      segments.push({ type: span.type, text: span.text, author, ...(span.suggestion ? { suggestion: span.suggestion } : {}) });
    }
  }
  return {
    from: diff.from,
    to: diff.to,
    segments,
    authors: [...authors.values()],
    unchanged: segments.every((segment) => segment.type === 'equal'),
    moved: diff.moved ?? [],
  };
}
