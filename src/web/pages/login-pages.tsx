import type { SessionUser } from '../../auth/web-session.js';
import { CsrfField, Layout } from '../components/layout.js';

interface PageProps {
  user: SessionUser | null;
  csrfToken: string;
}

/** `GET /login`: the address to send a link to. */
export function LoginForm(props: PageProps & { error?: string | null; email?: string }) {
  return (
    <Layout title="Log in" user={props.user} csrfToken={props.csrfToken}>
      <h1>Log in</h1>
      <p>Docket signs you in with a link sent by email. There is no password.</p>
      <form method="post" action="/login" class="stack">
        <CsrfField token={props.csrfToken} />
        <label for="email">Your email address</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="email"
          required
          value={props.email ?? ''}
          aria-describedby={props.error ? 'email-error' : undefined}
        />
        {props.error ? (
          <p id="email-error" class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <button type="submit">Send me a login link</button>
      </form>
    </Layout>
  );
}

/** The same answer for every address, known or not, so the page cannot be used to probe who has access. */
export function LoginRequested(props: PageProps & { email: string }) {
  return (
    <Layout title="Check your email" user={props.user} csrfToken={props.csrfToken}>
      <h1>Check your email</h1>
      <p>
        If <strong>{props.email}</strong> may use Docket, a login link is on its way. The link works
        once, within 15 minutes.
      </p>
      <p class="note">
        No email? This Docket may have no outgoing mail set up. Ask an administrator to run{' '}
        <code>docket login-link {props.email}</code> and send you the link it prints.
      </p>
    </Layout>
  );
}

/** `GET /login/:token`: a button, because opening a link must not use it (mail scanners open links). */
export function LoginConfirm(props: PageProps & { token: string }) {
  return (
    <Layout title="Log in" user={props.user} csrfToken={props.csrfToken}>
      <h1>Log in to Docket</h1>
      <form method="post" action={`/login/${props.token}`} class="stack">
        <CsrfField token={props.csrfToken} />
        <button type="submit">Log in</button>
      </form>
    </Layout>
  );
}

export function LoginLinkInvalid(props: PageProps) {
  return (
    <Layout title="Link not valid" user={props.user} csrfToken={props.csrfToken}>
      <h1>This login link cannot be used</h1>
      <p>It has been used already or is more than 15 minutes old.</p>
      <p>
        <a href="/login">Ask for a new link</a>
      </p>
    </Layout>
  );
}
