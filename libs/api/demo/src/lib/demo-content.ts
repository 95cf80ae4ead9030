import type { Role } from '@concord/contracts';

/**
 * The demo workspace: the Abu Dhabi Dialogue preparing its input to the third informal thematic
 * session of the GCM consultations (Geneva, 19–20 June 2017). The proposals are illustrative text
 * written for this demo, inspired by the Dialogue's public work programme; they are not official
 * positions of the Dialogue or of any State.
 */
export const DEMO_PASSWORD = 'concord-demo';

export interface DemoUser {
  key: string;
  email: string;
  name: string;
  roles: readonly Role[];
  isAdmin: boolean;
  /** A delegate's member state (ISO 3166-1 alpha-2, a member of the demo ISCM). */
  memberState?: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { key: 'drafter1', email: 'drafter1@concord.demo', name: 'Amina Rahman', roles: ['drafter'], isAdmin: false },
  { key: 'drafter2', email: 'drafter2@concord.demo', name: 'Rohan Perera', roles: ['drafter'], isAdmin: false },
  { key: 'chair', email: 'chair@concord.demo', name: 'Fatima Al Mansoori', roles: ['chair'], isAdmin: false },
  { key: 'auditor', email: 'auditor@concord.demo', name: 'Jonas Lindqvist', roles: ['auditor'], isAdmin: false },
  { key: 'admin', email: 'admin@concord.demo', name: 'Grace Mwangi', roles: ['admin'], isAdmin: true },
  { key: 'delegate1', email: 'delegate1@concord.demo', name: 'Priya Sharma', roles: ['delegate'], isAdmin: false, memberState: 'IN' },
  { key: 'delegate2', email: 'delegate2@concord.demo', name: 'Khalid Al Hammadi', roles: ['delegate'], isAdmin: false, memberState: 'AE' },
  // The chairs' troika with `chair` (issue 14 §2): the outgoing and the incoming chair. The demo keeps the
  // default rule (any one chair approves); an administrator sets the troika on the workspace page.
  { key: 'chair2', email: 'chair2@concord.demo', name: 'Maria Santos', roles: ['chair'], isAdmin: false },
  { key: 'chair3', email: 'chair3@concord.demo', name: 'Kenji Watanabe', roles: ['chair'], isAdmin: false },
];

export const DEMO_ISCM_ID = 'abu-dhabi-dialogue';

export const DEMO_SUBMISSION = {
  key: 'add-gcm-thematic-3',
  /** The third informal thematic session in the reference data (`gcm-consultations.json`): its guiding questions are the sections. */
  consultationId: 'gcm-ts3-2017',
  consultation:
    'Third informal thematic session: international cooperation and governance of migration in all its dimensions (Geneva, 19–20 June 2017)',
  title: 'Abu Dhabi Dialogue contribution to the Global Compact for Migration',
  dueDate: '2017-06-12',
};

type Block = { heading: string } | { paragraph: string } | { bullets: string[] };

export interface DemoProposal {
  key: string;
  title: string;
  kind: string;
  gcmObjectives: number[];
  summary: string;
  /** The guiding question of the third session it answers (its section); placed there when seeded. */
  section: string;
  body: Block[];
}

export const DEMO_PROPOSALS: DemoProposal[] = [
  {
    key: 'ciop',
    title: 'Comprehensive Information and Orientation Programme across the migration cycle',
    kind: 'programme_project',
    gcmObjectives: [3, 6, 7],
    summary: 'Pre-employment, pre-departure and post-arrival orientation for contract workers in the Asia–Gulf corridor.',
    // ISCM contributions to States' capacities
    section: 'q4',
    body: [
      { heading: 'Purpose' },
      {
        paragraph:
          'Contract workers moving between South and South-East Asia and the Gulf often receive information late, from unregulated intermediaries, and in a language they do not read well. The Comprehensive Information and Orientation Programme (CIOP) gives them accurate, consistent information at every stage: before they accept a job offer, before they depart, and after they arrive.',
      },
      { heading: 'What the programme does' },
      {
        bullets: [
          'Pre-employment sessions in countries of origin on rights, contracts, costs and how to verify a recruiter.',
          'Pre-departure orientation aligned with the labour law and the standard contract of the country of destination.',
          'Post-arrival orientation delivered with employers, covering complaint mechanisms and consular services.',
        ],
      },
      { heading: 'Proposed commitment' },
      {
        paragraph:
          'Member States of the Dialogue propose that the Global Compact encourage origin and destination countries to agree common orientation curricula for each corridor, to deliver them free of charge to workers, and to evaluate them jointly every two years.',
      },
    ],
  },
  {
    key: 'employer-pays',
    title: 'Employer-pays principle for recruitment costs in the Asia–Gulf corridor',
    kind: 'policy',
    gcmObjectives: [6, 7, 23],
    summary: 'A shared policy that workers pay no recruitment fees or related costs, with joint monitoring.',
    // practical approaches for the GCM
    section: 'q7',
    body: [
      { heading: 'Problem' },
      {
        paragraph:
          'Recruitment fees paid by workers remain the main source of debt bondage in temporary labour migration. Fees are often charged twice, in the country of origin and of destination, and are hidden in deductions from wages.',
      },
      { heading: 'Policy proposal' },
      {
        paragraph:
          'States of origin and destination adopt the principle that the employer, not the worker, bears the cost of recruitment, including visa, medical, travel and placement costs. Licensed recruitment agencies publish their fees to employers, and contracts signed before departure cannot be replaced on arrival.',
      },
      {
        bullets: [
          'A common definition of recruitment fees and related costs, drawing on the ILO General Principles and Operational Guidelines for Fair Recruitment.',
          'Mutual recognition of recruitment agency licences and of sanctions against agencies that charge workers.',
          'A joint annual review of complaints, using the data each State already collects.',
        ],
      },
    ],
  },
  {
    key: 'skills-recognition',
    title: 'Regional partnership on skills certification and mutual recognition',
    kind: 'agreement',
    gcmObjectives: [5, 18, 23],
    summary: 'Bilateral and regional arrangements to certify skills before departure and recognise them on arrival.',
    // partnerships
    section: 'q6',
    body: [
      { heading: 'Rationale' },
      {
        paragraph:
          'Workers who are certified before they travel earn more, change employers more easily and are less exposed to abuse. Yet certificates issued in countries of origin are rarely recognised by employers or authorities in countries of destination.',
      },
      { heading: 'Arrangement' },
      {
        paragraph:
          'Pairs of origin and destination States agree occupational standards for a first set of occupations in construction, hospitality and domestic work, certify workers against them through accredited centres, and record certificates in a shared register that employers can query with the worker’s consent.',
      },
      { heading: 'Next steps' },
      {
        paragraph:
          'The Dialogue offers its pilot on skills recognition as a model and invites the Global Compact to support similar partnerships in other corridors.',
      },
    ],
  },
];

/** The ProseMirror (Tiptap StarterKit) document of a proposal's initial text. */
export function toProseMirrorDocument(blocks: Block[]): { type: 'doc'; content: unknown[] } {
  const text = (value: string) => [{ type: 'text', text: value }];
  return {
    type: 'doc',
    content: blocks.map((block) => {
      if ('heading' in block) return { type: 'heading', attrs: { level: 2 }, content: text(block.heading) };
      if ('paragraph' in block) return { type: 'paragraph', content: text(block.paragraph) };
      return {
        type: 'bulletList',
        content: block.bullets.map((item) => ({ type: 'listItem', content: [{ type: 'paragraph', content: text(item) }] })),
      };
    }),
  };
}

/**
 * Review in the text, seeded on one demo proposal so that a new user sees it at once: a thread of a
 * delegate answered by a drafter, and two open suggestions of the two delegates.
 */
export const DEMO_REVIEW = {
  proposalKey: 'employer-pays',
  thread: {
    by: 'delegate1',
    words: 'A joint annual review of complaints',
    body: 'India would like the findings of this review to go to the Dialogue’s ministerial consultation each year.',
    reply: { by: 'drafter1', body: 'Agreed; we will add a sentence once the chair has seen the draft.' },
  },
  suggestions: [
    // A replacement: the words out and the words in share one suggestion.
    { by: 'delegate1', words: 'the main source', replacement: 'a major source' },
    // An insertion right after these words.
    { by: 'delegate2', words: 'cannot be replaced on arrival', replacement: null, insertAfter: ' without the written consent of the worker' },
  ],
} as const;

/**
 * Co-sponsorship (issue 14 §4): the United Arab Emirates, host of the Dialogue, co-sponsors the
 * orientation programme — endorsed by its delegate through the normal command path.
 */
export const DEMO_CO_SPONSORSHIP = { proposalKey: 'ciop', by: 'delegate2' } as const;
