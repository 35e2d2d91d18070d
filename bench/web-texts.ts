import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';

/** Words of specifications and data sheets: what attachments say and message bodies do not. */
export const DOCUMENT_WORDS = (
  'shall submit compressive aggregate admixture slump curing specimen tolerance anchorage ' +
  'conforming accordance manufacturer installation performance requirement minimum maximum ' +
  'nominal thickness diameter spacing reinforcing deformed epoxy galvanized stainless fastener ' +
  'sealant primer substrate adhesion elongation tensile yield modulus density absorption ' +
  'permeability fireproofing intumescent gypsum sheathing vapour barrier fluid-applied ' +
  'sheet-applied warranty certification laboratory testing frequency sampling acceptance ' +
  'rejection remedial grouting dowel keyway waterstop joint sealant expansion contraction ' +
  'control isolation bearing elastomeric neoprene shim leveling plate baseplate column ' +
  'footing pedestal pilecap gradebeam topping screed finish broom trowel hardener sealer'
).split(/\s+/);

/** In almost every attachment text (drawn like every document word). */
export const DOCUMENT_COMMON_WORD = 'shall';
/** In one attachment text in 40: 5,000 of 200,000, half a percent of the messages. */
export const DOCUMENT_MEDIUM_WORD = 'hydrophobic';
/** In one attachment text in 2,003: about 100 at 200,000. */
export const DOCUMENT_RARE_PHRASE = 'podium slab 30 MPa';

const BATCH = 10_000;
const WORDS_PER_TEXT = 400;

/**
 * Gives the first `count` attachments (ids 1…count; the seed inserts them in one statement) an
 * extracted text of 400 document words (about three pages), written as a reader records it:
 * through the triggers, so each attachment's vector is derived and folded into its message's
 * search vector exactly as in production.
 */
export async function seedAttachmentTexts(
  db: Db,
  count: number,
  say: (text: string) => void,
): Promise<void> {
  const ranges: [number, number][] = [];
  for (let from = 1; from <= count; from += BATCH) {
    ranges.push([from, Math.min(from + BATCH - 1, count)]);
  }
  let done = 0;
  const worker = async () => {
    for (let range = ranges.shift(); range; range = ranges.shift()) {
      await sql`
        update attachment_texts t set state = 'extracted', kind = 'pdf', pages = 3,
          extracted_at = now(),
          text = (
            select string_agg((${DOCUMENT_WORDS}::text[])[1 + abs(hashint8(t.attachment_id * 1024 + i)) % ${DOCUMENT_WORDS.length}], ' ')
            from generate_series(1, ${WORDS_PER_TEXT}) i
          )
          || case when t.attachment_id % 40 = 11 then ${` ${DOCUMENT_MEDIUM_WORD}`} else '' end
          || case when t.attachment_id % 2003 = 5 then ${` The ${DOCUMENT_RARE_PHRASE} at level 2.`} else '' end
        where t.attachment_id between ${range[0]} and ${range[1]}`.execute(db);
      done += range[1] - range[0] + 1;
      say(`attachment texts: ${done.toLocaleString('en-US')} of ${count.toLocaleString('en-US')}`);
    }
  };
  await Promise.all([worker(), worker()]);
}
