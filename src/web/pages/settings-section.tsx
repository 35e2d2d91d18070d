import type { Child } from 'hono/jsx';
import { fieldText, type FormFields } from '../forms/form-fields.js';

export type SettingsSectionId =
  'general' | 'reminders' | 'members' | 'workflows' | 'calendar' | 'responses' | 'policy';

/** A form that was refused: which section, why, and what the person had typed. */
export interface SettingsFailure {
  section: SettingsSectionId;
  message: string;
  fields: FormFields;
}

/** What every section of the settings page is given. */
export interface SectionProps {
  /** `/p/<code>/settings`: each section posts to a path below it. */
  base: string;
  csrfToken: string;
  /** False for reviewers and members: they see the settings but get no forms. */
  editable: boolean;
  /** The refused form's values when the refusal was in this section, else undefined. */
  failed?: FormFields | undefined;
}

/**
 * One section of the settings page: its heading, then "Saved." after a change or the reason a
 * change was refused, announced to screen readers, then its content.
 */
export function SettingsSection(props: {
  id: SettingsSectionId;
  title: string;
  saved: boolean;
  error?: string | undefined;
  children?: Child;
}) {
  return (
    <section id={props.id} class="settings-section" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.saved ? (
        <p class="settings-saved" role="status">
          Saved.
        </p>
      ) : null}
      {props.error ? (
        <p class="error settings-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.children}
    </section>
  );
}

/** A field's value: what was typed when the form was refused, else what is stored. */
export function shown(failed: FormFields | undefined, name: string, stored: string): string {
  return failed ? fieldText(failed, name) : stored;
}
