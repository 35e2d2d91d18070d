import type { Project } from '../../db/database.js';
import { CsrfField } from '../components/layout.js';
import { fieldText } from '../forms/form-fields.js';
import { shown, type SectionProps } from './settings-section.js';

const POLICIES: [Project['sender_policy'], string][] = [
  ['anyone', 'Anyone may send mail to the project'],
  ['members', 'Only members may send mail to the project (others are refused with a reason)'],
];

/** Who may file mail, and whether an emailed approval must pass DMARC to count. */
export function PolicySettings(props: SectionProps & { project: Project }) {
  const { project, failed } = props;
  const policy = shown(failed, 'sender_policy', project.sender_policy);
  const dmarc = failed ? fieldText(failed, 'require_dmarc') !== '' : project.require_dmarc;
  if (!props.editable) {
    return (
      <dl class="settings-facts">
        <dt>Senders</dt>
        <dd>{POLICIES.find(([value]) => value === project.sender_policy)?.[1]}</dd>
        <dt>DMARC</dt>
        <dd>
          {project.require_dmarc
            ? 'Emailed decisions count only when DMARC passes or DKIM aligns with the sender.'
            : 'Not required for emailed decisions.'}
        </dd>
      </dl>
    );
  }
  return (
    <form method="post" action={`${props.base}/policy`} class="settings-form">
      <CsrfField token={props.csrfToken} />
      <fieldset class="field wide">
        <legend>Senders</legend>
        {POLICIES.map(([value, label]) => (
          <label class="check settings-choice">
            <input type="radio" name="sender_policy" value={value} checked={policy === value} />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <label class="check wide">
        <input type="checkbox" name="require_dmarc" value="on" checked={dmarc} /> Require DMARC: an
        emailed decision counts only when DMARC passes or DKIM aligns with the sender's domain
      </label>
      <div class="actions">
        <button type="submit">Save mail policy</button>
      </div>
    </form>
  );
}
