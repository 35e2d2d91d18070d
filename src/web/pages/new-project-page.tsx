import type { SessionUser } from '../../auth/web-session.js';
import { CsrfField, Layout } from '../components/layout.js';
import { fieldText, type FormFields } from '../forms/form-fields.js';
import { TimeZoneField } from './time-zone-field.js';

/** `GET /projects/new`, and the same form again with the reason when a project was refused. */
export function NewProjectPage(props: {
  user: SessionUser;
  csrfToken: string;
  fields?: FormFields;
  error?: string;
}) {
  const value = (name: string, fallback = '') =>
    props.fields ? fieldText(props.fields, name) : fallback;
  return (
    <Layout title="New project" user={props.user} csrfToken={props.csrfToken}>
      <h1>New project</h1>
      {props.error ? (
        <p class="error settings-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/projects" class="settings-form">
        <CsrfField token={props.csrfToken} />
        <div class="field">
          <label for="project-code">Code</label>
          <input
            id="project-code"
            name="code"
            type="text"
            value={value('code')}
            required
            maxlength={20}
            autocomplete="off"
            spellcheck={false}
            aria-describedby="project-code-hint"
          />
          <span id="project-code-hint" class="hint">
            Up to 20 lowercase letters, digits or inner hyphens, such as twr-a. It becomes the
            project's inbox address and cannot be changed later.
          </span>
        </div>
        <div class="field">
          <label for="project-name">Name</label>
          <input id="project-name" name="name" type="text" value={value('name')} required />
        </div>
        <div class="field">
          <TimeZoneField id="project-timezone" value={value('timezone', 'UTC')} />
        </div>
        <div class="actions">
          <button type="submit">Create project</button> <a href="/">Cancel</a>
        </div>
      </form>
    </Layout>
  );
}
