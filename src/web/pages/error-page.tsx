import type { SessionUser } from '../../auth/web-session.js';
import { Layout } from '../components/layout.js';

export interface ErrorPageProps {
  title: string;
  message: string;
  user: SessionUser | null;
  csrfToken: string;
}

/** A readable page for 403, 404 and 429: what happened and where to go. */
export function ErrorPage(props: ErrorPageProps) {
  return (
    <Layout title={props.title} user={props.user} csrfToken={props.csrfToken}>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to your projects</a>
      </p>
    </Layout>
  );
}
