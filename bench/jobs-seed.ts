import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';

export interface JobsShape {
  projects: number;
  people: number;
  /** Open review steps; two parallel reviewers per submittal, so half as many submittals. */
  steps: number;
}

/** The last local date (inclusive) a line can fall due on and still be in the digest at `NOW`. */
export const HORIZON_DATE = '2027-03-14';

const ZONES = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'UTC'];
const SECTIONS = ['03 30 00', '04 20 00', '05 12 00', '07 92 00', '08 11 13', '09 29 00'];
const WORDS = ['Concrete', 'Rebar', 'Anchor', 'Sealant', 'Door', 'Frame', 'Gypsum', 'Steel'];

// A deterministic "random" non-negative integer below `n` from any bigint expression.
const pick = (expr: string, n: number | string) => `(abs(hashint8(${expr})::bigint) % (${n}))`;
const list = (values: string[]) => `array['${values.join("','")}']`;

/**
 * Fills an empty, migrated database with what the digest reads, in a handful of set-based
 * statements on one connection (it uses temporary tables):
 *
 * - projects 1…N over five time zones (Europe and the Americas), Monday to Friday, digest times
 *   06:00–09:30, two holidays outside the benchmark's week;
 * - people 1…P (`personNNNN@firmK.example`, a user each); person i is a member of project
 *   1 + i % N, every third also of a second project and every tenth of a third; one in 25 is a
 *   manager;
 * - steps / 2 open submittals spread evenly over the projects, each in review at its only step with
 *   two parallel reviewers drawn from the project's members, both in the ball in court;
 * - each review step due at the end of a local day between 15 days before and 45 days after
 *   `now` (uniform), notified 10 days before it fell due (and never after yesterday). One person
 *   in 20 is "up to date": their steps fall due 8–38 days ahead, so they must get no digest.
 */
export async function seedJobs(db: Db, shape: JobsShape, now: Date): Promise<void> {
  const at = `timestamptz '${now.toISOString()}'`;
  const submittals = Math.ceil(shape.steps / 2);
  await db.connection().execute(async (conn) => {
    const run = (text: string) => sql.raw(text).execute(conn);
    await run(
      `insert into projects (id, code, name, timezone, digest_time, holidays) overriding system value
       select p, 'JOB' || lpad(p::text, 2, '0'), 'Bench tower ' || p, (${list(ZONES)})[1 + p % 5],
         lpad((6 + p % 4)::text, 2, '0') || case when p % 2 = 0 then ':00' else ':30' end,
         '{2027-01-01,2027-12-24}'
       from generate_series(1, ${shape.projects}) p`,
    );
    await run(`select setval(pg_get_serial_sequence('projects', 'id'), ${shape.projects})`);
    await run(
      `create temp table people as
       select i, 'person' || lpad(i::text, 4, '0') || '@firm' || (i % 40) || '.example' as email,
         i % 20 = 19 as up_to_date
       from generate_series(1, ${shape.people}) i`,
    );
    await run(`insert into users (email, name) select email, 'Person ' || i from people`);
    await run(
      `insert into members (project_id, email, name, role)
       select distinct on (p, email) p, email, 'Person ' || i,
         case when i % 25 = 0 then 'manager' else 'reviewer' end
       from (
         select i, email, 1 + i % ${shape.projects} p from people
         union all select i, email, 1 + (i * 7 + 3) % ${shape.projects} from people where i % 3 = 0
         union all select i, email, 1 + (i * 13 + 5) % ${shape.projects} from people where i % 10 = 0
       ) m order by p, email`,
    );
    await run(
      `create temp table roster as
       select m.project_id, m.email, m.id, pe.up_to_date,
         (row_number() over (partition by m.project_id order by m.email) - 1)::int k,
         (count(*) over (partition by m.project_id))::int n
       from members m join people pe on pe.email = m.email`,
    );
    await run(`create index on roster (project_id, k)`);
    // Two distinct reviewers per submittal: k1, and k2 = k1 + 1 + (something below n - 1), mod n.
    await run(
      `create temp table picks as
       select s.g, s.p, r1.email e1, r1.id m1, r1.up_to_date q1, r2.email e2, r2.id m2, r2.up_to_date q2
       from (
         select g, p, c.n, ${pick('g', 'c.n')} k1, ${pick('g * 5 + 1', 'c.n - 1')} d
         from (select g, 1 + (g - 1) % ${shape.projects} p from generate_series(1, ${submittals}) g) x
         join (select distinct project_id, n from roster) c on c.project_id = x.p
       ) s
       join roster r1 on r1.project_id = s.p and r1.k = s.k1
       join roster r2 on r2.project_id = s.p and r2.k = (s.k1 + 1 + s.d) % s.n`,
    );
    await run(
      `insert into submittals (project_id, id, spec_section, seq, title, type, status, revision,
         submitter, ball_in_court, received_at)
       overriding system value
       select p, g, (${list(SECTIONS)})[1 + g % ${SECTIONS.length}], (g - 1) / ${shape.projects} + 1,
         (${list(WORDS)})[1 + g % ${WORDS.length}] || ' shop drawings ' || g, 'Shop Drawing', 'open', 0,
         'dana@contractor.example', array[e1, e2], ${at} - interval '60 days'
       from picks`,
    );
    await run(
      `insert into submittal_revisions (project_id, submittal_id, revision, status, steps, current_step,
         received_at)
       select p, g, 0, 'in_review', jsonb_build_array(jsonb_build_array(e1, e2)), 0,
         ${at} - interval '60 days'
       from picks`,
    );
    // A due date is the end of a local day, as addWorkingDays sets it: up-to-date people's steps
    // fall due 8–38 days ahead, everyone else's between 15 days ago and 45 days ahead.
    const due = (j: number, quiet: string) =>
      `(((${at} at time zone p.timezone)::date + (1 + case when ${quiet} then 8 + ${pick(`g * 2 + ${j}`, 30)}
         else ${pick(`g * 2 + ${j}`, 60)} - 15 end)::int)::timestamp at time zone p.timezone) - interval '1 millisecond'`;
    await run(
      `insert into review_steps (project_id, submittal_id, revision, step, reviewer, member_id, state,
         due_at, notified_at)
       select p, g, 0, 0, e, m, 'pending', due, least(due - interval '10 days', ${at} - interval '1 day')
       from (
         select s.p, g, e1 e, m1 m, ${due(0, 'q1')} due from picks s join projects p on p.id = s.p
         union all select s.p, g, e2, m2, ${due(1, 'q2')} from picks s join projects p on p.id = s.p
       ) s
       limit ${shape.steps}`,
    );
    await run(`select setval(pg_get_serial_sequence('submittals', 'id'), ${submittals})`);
    await run('drop table picks, roster, people');
  });
  await sql`vacuum analyze`.execute(db);
}

/**
 * What the digest must find, worked out in SQL independently of the reminder code: the people
 * holding a pending review step that is overdue or falls due by HORIZON_DATE (Sunday: Wednesday
 * plus two working days, then the weekend) in its project's time zone.
 */
export async function expectedDigests(
  db: Db,
  now: Date,
): Promise<{ people: number; lines: number; overdue: number; dueSoon: number; steps: number }> {
  const result = await sql<{
    people: number;
    lines: number;
    overdue: number;
    steps: number;
  }>`
    select count(distinct rs.reviewer) filter (where due)::int people,
      count(*) filter (where due)::int lines,
      count(*) filter (where rs.due_at < ${now})::int overdue,
      count(*)::int steps
    from (
      select rs.*, (rs.due_at at time zone p.timezone)::date <= ${HORIZON_DATE}::date due
      from review_steps rs join projects p on p.id = rs.project_id
      where rs.state = 'pending'
    ) rs`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('no expectation row');
  return { ...row, dueSoon: row.lines - row.overdue };
}
