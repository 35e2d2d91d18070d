import type { Project } from '../../db/database.js';
import { DEFAULT_RESPONSE_ALIASES, RESPONSE_CODES } from '../../submittals/review-decision.js';
import { CsrfField } from '../components/layout.js';
import { aliasesText } from '../forms/response-aliases-form.js';
import { shown, type SectionProps } from './settings-section.js';

/** The five responses every reviewer may give, and the project's own words for them. */
export function ResponseSettings(props: SectionProps & { project: Project }) {
  const { project, failed } = props;
  const own = Object.entries(project.response_aliases);
  return (
    <>
      <p>
        Reviewers start their reply with one of: {RESPONSE_CODES.join(', ')}. Every project also
        accepts{' '}
        {Object.entries(DEFAULT_RESPONSE_ALIASES)
          .map(([alias, code]) => `${alias} (= ${code})`)
          .join(', ')}
        .
      </p>
      {props.editable ? (
        <form method="post" action={`${props.base}/responses`} class="settings-form">
          <CsrfField token={props.csrfToken} />
          <div class="field wide">
            <label for="responses-aliases">This project's aliases</label>
            <textarea
              id="responses-aliases"
              name="aliases"
              rows={5}
              aria-describedby="responses-aliases-hint"
            >
              {shown(failed, 'aliases', aliasesText(project.response_aliases))}
            </textarea>
            <span id="responses-aliases-hint" class="hint">
              One ALIAS = CODE a line, such as REVIEWED = FOR RECORD ONLY. CODE is one of the five
              responses above. Delete a line to remove that alias.
            </span>
          </div>
          <div class="actions">
            <button type="submit">Save aliases</button>
          </div>
        </form>
      ) : own.length === 0 ? (
        <p>This project has no aliases of its own.</p>
      ) : (
        <dl class="settings-facts">
          {own.map(([alias, code]) => (
            <>
              <dt>{alias}</dt>
              <dd>{code}</dd>
            </>
          ))}
        </dl>
      )}
    </>
  );
}
