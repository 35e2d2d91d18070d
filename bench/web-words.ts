/** Vocabulary of the seeded bodies: construction mail in plain words, a few codes, a few names. */
export const WORDS = (
  'concrete rebar formwork slab footing column beam girder joist truss deck pour cure strength ' +
  'mix cylinder test report inspection inspector engineer architect contractor subcontractor ' +
  'owner client schedule delay change order cost estimate quote invoice payment retention ' +
  'drawing sheet revision detail section elevation plan specification submittal transmittal ' +
  'approval approved rejected resubmit comments markup review reviewer response question answer ' +
  'clarification site visit meeting minutes agenda safety permit crane scaffold excavation ' +
  'backfill compaction soil geotechnical foundation pile anchor bolt weld steel embed plate ' +
  'masonry brick block mortar grout waterproofing membrane roofing flashing insulation drywall ' +
  'stud framing door frame hardware window glazing curtain wall facade cladding paint coating ' +
  'floor tile carpet ceiling grid lighting fixture electrical conduit panel breaker mechanical ' +
  'duct diffuser chiller boiler pump valve plumbing pipe drain sprinkler fire alarm elevator ' +
  'stair railing landscape paving curb asphalt survey layout grade level tolerance warranty ' +
  'closeout punch list handover commissioning startup training manual sample mockup shop ' +
  'product data certificate delivery lead time supplier fabricator vendor please thanks ' +
  'attached see below regards kind friday monday tuesday wednesday thursday morning tomorrow ' +
  'urgent follow confirm update status pending open closed north south east west level2 level3'
).split(' ');

/** Subject stems; each thread takes one and a number. */
export const TOPICS = [
  'RFI',
  'Submittal',
  'Transmittal',
  'Change order',
  'Site instruction',
  'Meeting minutes',
  'Inspection report',
  'Shop drawings',
  'Concrete pour',
  'Steel delivery',
  'Punch list',
  'Payment application',
];

/** Appears in a few dozen messages of the whole data set: the rare search. */
export const RARE_WORD = 'kryptonite';
/** Drawn like every word of WORDS: in about a third of the messages (32% at 1,000,000). */
export const COMMON_WORD = 'concrete';
