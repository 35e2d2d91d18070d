import { Eta } from 'eta';
import { packagePath } from '../paths.js';

/** Where the email templates live; a deployment may edit them. */
export const templatesDir = packagePath('templates');

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Renders `templates/<name>.{subject,txt,html}.eta`. The HTML part escapes every value by default;
 * the text and subject parts are plain text and escape nothing.
 */
export class MailTemplates {
  readonly #html: Eta;
  readonly #text: Eta;

  constructor(dir: string = templatesDir) {
    this.#html = new Eta({ views: dir, autoEscape: true, cache: true });
    this.#text = new Eta({ views: dir, autoEscape: false, autoTrim: false, cache: true });
  }

  render(name: string, data: object): RenderedMail {
    return {
      subject: this.#text.render(`./${name}.subject.eta`, data).replace(/\s+/g, ' ').trim(),
      text: this.#text.render(`./${name}.txt.eta`, data),
      html: this.#html.render(`./${name}.html.eta`, data),
    };
  }
}
