import type { SessionUser } from '../../auth/web-session.js';
import type { ProjectListing } from '../../users/project-access.js';
import { Layout } from '../components/layout.js';

interface PageProps {
  user: SessionUser;
  csrfToken: string;
}

/** `GET /`: the projects this person may open. */
export function ProjectList(props: PageProps & { projects: ProjectListing[] }) {
  return (
    <Layout title="Projects" user={props.user} csrfToken={props.csrfToken}>
      <h1>Projects</h1>
      {props.user.isAdmin ? (
        <p>
          <a href="/projects/new">New project</a>
        </p>
      ) : null}
      {props.projects.length === 0 ? (
        <div class="empty">
          <p>You are not on any project yet.</p>
          {props.user.isAdmin ? null : (
            <p>Ask a project manager to add your email address to their project.</p>
          )}
        </div>
      ) : (
        <ul class="cards">
          {props.projects.map((project) => (
            <li>
              <a href={`/p/${encodeURIComponent(project.code)}`}>
                <span class="name">{project.name}</span> <span class="code">{project.code}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
