import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { SessionUser } from '../../auth/web-session.js';
import { CSRF_FIELD } from '../web-env.js';

export interface LayoutProps {
  title: string;
  user: SessionUser | null;
  csrfToken: string;
  /** The project the page is about, shown in the header. */
  project?: { code: string; name: string } | null;
  /** Which of the project's sections the page belongs to, marked in the project menu. */
  section?: ProjectSection;
  /** List and table pages use the whole window instead of a reading-width column. */
  wide?: boolean;
  children?: Child;
}

export type ProjectSection =
  'dashboard' | 'log' | 'submittals' | 'transmittals' | 'items' | 'outbox' | 'settings';

const SECTIONS: [ProjectSection, string, string][] = [
  ['dashboard', 'Dashboard', ''],
  ['log', 'Correspondence', '/log'],
  ['submittals', 'Submittals', '/submittals'],
  ['transmittals', 'Transmittals', '/transmittals'],
  ['items', 'RFIs & items', '/items'],
  ['outbox', 'Outbox', '/outbox'],
  ['settings', 'Settings', '/settings'],
];

/** The project's sections, one link each; the current one is marked for screen readers too. */
export function ProjectMenu(props: { code: string; section?: ProjectSection | undefined }) {
  const base = `/p/${encodeURIComponent(props.code)}`;
  return (
    <nav aria-label="Project" class="project-menu">
      <ul>
        {SECTIONS.map(([section, label, path]) => (
          <li>
            <a
              href={`${base}${path}`}
              aria-current={section === props.section ? 'page' : undefined}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A hidden field with the page's CSRF token; every POST form carries one. */
export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** The page shell: header (projects, who is signed in, logout), main, footer. No JavaScript. */
export function Layout(props: LayoutProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Docket`}</title>
          <link rel="stylesheet" href="/static/app.css" />
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="site-header">
            <a class="brand" href="/">
              Docket
            </a>
            {props.user ? (
              <nav aria-label="Projects" class="switcher">
                <a href="/">All projects</a>
                {props.project ? (
                  <span aria-current="page">
                    {props.project.name} <span class="code">{props.project.code}</span>
                  </span>
                ) : null}
              </nav>
            ) : null}
            {props.user ? (
              <form method="post" action="/logout" class="logout">
                <span class="who">{props.user.email}</span>
                <CsrfField token={props.csrfToken} />
                <button type="submit">Log out</button>
              </form>
            ) : null}
          </header>
          {props.user && props.project ? (
            <ProjectMenu code={props.project.code} section={props.section} />
          ) : null}
          <main id="main" class={props.wide ? 'wide' : undefined}>
            {props.children}
          </main>
          <footer class="site-footer">Docket — project email, filed and tracked.</footer>
        </body>
      </html>
    </>
  );
}
