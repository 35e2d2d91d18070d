import { Hono, type MiddlewareHandler } from 'hono';
import { isDocketError } from '../../errors.js';
import { normalizeProjectCode } from '../../projects/project-code.js';
import { createProject } from '../../projects/project.repository.js';
import { fieldText, inputProblem, readFormFields } from '../forms/form-fields.js';
import { newProjectForm } from '../forms/project-forms.js';
import { ErrorPage } from '../pages/error-page.js';
import { NewProjectPage } from '../pages/new-project-page.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';

/** Only administrators create projects; anyone else gets a page saying whom to ask. */
const requireAdministrator: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.var.user?.isAdmin) {
    return c.html(
      <ErrorPage
        title="Only administrators can create projects"
        message="Ask an administrator to create the project and add you to it as a manager."
        user={c.var.user}
        csrfToken={c.var.csrfToken}
      />,
      403,
    );
  }
  await next();
};

/** `GET /projects/new` and `POST /projects`: an administrator starts a project. */
export function newProjectRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db } = deps;
  const app = new Hono<WebEnv>();

  app.get('/projects/new', requireUser, requireAdministrator, (c) =>
    c.html(<NewProjectPage user={c.var.user!} csrfToken={c.var.csrfToken} />),
  );

  app.post('/projects', requireUser, requireAdministrator, async (c) => {
    const fields = await readFormFields(c);
    try {
      const project = await db
        .transaction()
        .execute((trx) => createProject(trx, newProjectForm.parse(fields)));
      return c.redirect(`/p/${encodeURIComponent(project.code)}/settings?saved=project`, 303);
    } catch (error) {
      const message = isDocketError(error, 'conflict')
        ? `A project with the code "${normalizeProjectCode(fieldText(fields, 'code'))}" already exists. Choose another code.`
        : inputProblem(error);
      if (message === null) throw error;
      return c.html(
        <NewProjectPage
          user={c.var.user!}
          csrfToken={c.var.csrfToken}
          fields={fields}
          error={message}
        />,
        400,
      );
    }
  });

  return app;
}
