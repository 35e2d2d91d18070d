import { CsrfField } from '../components/layout.js';
import type { WorkflowListing } from '../../projects/project-workflows.js';
import { shown, type SectionProps } from './settings-section.js';

/**
 * The review workflows new submittals get: ordered steps, the reviewers of a step in parallel,
 * chosen by the longest matching spec prefix, else the default.
 */
export function WorkflowSettings(props: SectionProps & { workflows: WorkflowListing[] }) {
  const { failed } = props;
  return (
    <>
      {props.workflows.length === 0 ? (
        <p class="empty">
          No workflows yet: new submittals wait for reviewers to be named.
          {props.editable ? ' Add a default workflow below.' : ''}
        </p>
      ) : (
        <ul class="settings-workflows">
          {props.workflows.map((workflow) => (
            <li>
              <h3>
                {workflow.name}{' '}
                <span class="code">
                  {workflow.specPrefix ? `spec ${workflow.specPrefix}` : 'default'}
                </span>
              </h3>
              <ol>
                {workflow.steps.map((step) => (
                  <li>{step.join(', ')}</li>
                ))}
              </ol>
              {props.editable ? (
                <form
                  method="post"
                  action={`${props.base}/workflows/${workflow.id}/delete`}
                  class="settings-inline"
                >
                  <CsrfField token={props.csrfToken} />
                  <button
                    type="submit"
                    class="settings-danger"
                    aria-label={`Delete workflow ${workflow.name}`}
                  >
                    Delete
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {props.editable ? (
        <form method="post" action={`${props.base}/workflows`} class="settings-form">
          <CsrfField token={props.csrfToken} />
          <h3>Add or replace a workflow</h3>
          <div class="field">
            <label for="workflow-name">Name</label>
            <input
              id="workflow-name"
              name="name"
              type="text"
              value={shown(failed, 'name', '')}
              required
              aria-describedby="workflow-name-hint"
            />
            <span id="workflow-name-hint" class="hint">
              Saving under an existing name replaces that workflow.
            </span>
          </div>
          <div class="field">
            <label for="workflow-spec">Spec prefix (optional)</label>
            <input
              id="workflow-spec"
              name="spec_prefix"
              type="text"
              value={shown(failed, 'spec_prefix', '')}
              placeholder="03 30"
              aria-describedby="workflow-spec-hint"
            />
            <span id="workflow-spec-hint" class="hint">
              Such as 03 or 03 30 00. Leave empty for the default workflow.
            </span>
          </div>
          <div class="field wide">
            <label for="workflow-steps">Steps</label>
            <textarea
              id="workflow-steps"
              name="steps"
              rows={4}
              required
              aria-describedby="workflow-steps-hint"
            >
              {shown(failed, 'steps', '')}
            </textarea>
            <span id="workflow-steps-hint" class="hint">
              One step a line, in order. Reviewers on the same line review in parallel, separated by
              commas.
            </span>
          </div>
          <div class="actions">
            <button type="submit">Save workflow</button>
          </div>
        </form>
      ) : null}
    </>
  );
}
