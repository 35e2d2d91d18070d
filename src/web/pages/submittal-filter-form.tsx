import { RESPONSE_CODES } from '../../submittals/review-decision.js';
import type { RegisterForm } from '../../submittals/register-filters.js';

/** The register's filters: a plain GET form, so filtered views can be bookmarked and shared. */
export function SubmittalFilterForm(props: { code: string; form: RegisterForm }) {
  const { form } = props;
  const action = `/p/${encodeURIComponent(props.code)}/submittals`;
  return (
    <form method="get" action={action} class="filters">
      <div class="field">
        <label for="sub-q">Number, title or words in its documents</label>
        <input id="sub-q" type="search" name="q" value={form.q} placeholder="03 30 00-007, mix" />
      </div>
      <div class="field">
        <label for="sub-status">Status</label>
        <select id="sub-status" name="status">
          {[
            ['', 'Any'],
            ['open', 'Open (incl. draft)'],
            ['closed', 'Closed'],
          ].map(([value, label]) => (
            <option value={value} selected={form.status === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="sub-decision">Decision</label>
        <select id="sub-decision" name="decision">
          <option value="" selected={form.decision === ''}>
            Any
          </option>
          <option value="none" selected={form.decision === 'none'}>
            No decision yet
          </option>
          {RESPONSE_CODES.map((code) => (
            <option value={code} selected={form.decision.toUpperCase() === code}>
              {code}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="sub-spec">Spec section</label>
        <input id="sub-spec" name="spec" value={form.spec} placeholder="03 or 03 30 00" />
      </div>
      <div class="field">
        <label for="sub-bic">Ball in court</label>
        <input id="sub-bic" name="bic" value={form.bic} placeholder="sam@ or @architect.example" />
      </div>
      <div class="field">
        <span class="label-spacer" aria-hidden="true">
          &nbsp;
        </span>
        <label class="check">
          <input type="checkbox" name="overdue" value="1" checked={form.overdue === '1'} /> Overdue
          only
        </label>
      </div>
      <div class="actions wide">
        <button type="submit">Filter</button> <a href={action}>Clear</a>
      </div>
    </form>
  );
}
