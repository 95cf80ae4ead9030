import type { ExportProposal } from '@concord/document';
import { sectionsOf, slug } from './document-exports.service';
import { chromiumPath } from './pdf-printer';

const proposal = (id: string): ExportProposal => ({ id, title: id, kindLabel: 'Policy', gcmObjectives: [], revision: 1, contentHash: 'h', doc: { type: 'doc', content: [] } });

describe('sectionsOf', () => {
  it('follows the guiding questions, keeps their numbers, leaves empty ones out and puts unlisted proposals last', () => {
    const sections = sectionsOf(
      {
        sections: [
          { id: 'q1', number: 1, question: 'Tools?', proposalIds: [], introductionId: null },
          { id: 'q2', number: 2, question: 'Partnerships?', proposalIds: ['b', 'a'], introductionId: null },
          { id: null, number: 3, question: 'Other contributions', proposalIds: ['gone'], introductionId: null },
        ],
      },
      [proposal('a'), proposal('b'), proposal('c')],
    );
    expect(sections.map((s) => [s.number, s.heading, s.proposals.map((p) => p.id)])).toEqual([
      [2, 'Partnerships?', ['b', 'a']],
      [3, 'Other contributions', ['c']],
    ]);
  });

  it("puts a section's introduction first in it, and shows a section that has only its introduction", () => {
    const sections = sectionsOf(
      {
        sections: [
          { id: 'q1', number: 1, question: 'Tools?', proposalIds: [], introductionId: 'i1' },
          { id: 'q2', number: 2, question: 'Partnerships?', proposalIds: ['b', 'a'], introductionId: 'i2' },
          { id: null, number: 3, question: 'Other contributions', proposalIds: [], introductionId: null },
        ],
      },
      [proposal('a'), proposal('b'), proposal('i1'), proposal('i2')],
    );
    expect(sections.map((s) => [s.number, s.proposals.map((p) => p.id)])).toEqual([
      [1, ['i1']],
      [2, ['i2', 'b', 'a']],
    ]);
  });

  it('puts every proposal in one section when the submission has none', () => {
    expect(sectionsOf({ sections: [] }, [proposal('a')]).map((s) => [s.number, s.proposals.length])).toEqual([[1, 1]]);
  });
});

describe('slug', () => {
  it('makes an ASCII file name of any title', () => {
    expect(slug('Programme d’orientation — étape 2')).toBe('programme-d-orientation-etape-2');
    expect(slug('العمال المهاجرون')).toBe('concord-document');
  });
});

describe('chromiumPath', () => {
  it('takes CHROMIUM_PATH when set, and never another browser when it names no file', () => {
    expect(chromiumPath({ CHROMIUM_PATH: process.execPath })).toBe(process.execPath);
    expect(chromiumPath({ CHROMIUM_PATH: '/nonexistent/chromium' })).toBeNull();
  });
});
