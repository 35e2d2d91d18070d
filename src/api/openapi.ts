import { VERSION } from '../version.js';
import { schemas } from './openapi-schemas.js';

/**
 * The API's OpenAPI 3.1 document, served at `/api/openapi.json`. Written by hand next to the
 * routes; a test compares its paths with the router's, so it cannot fall behind unnoticed.
 */
const json = (schema: string, description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
});
const errors = {
  '401': { $ref: '#/components/responses/Unauthorized' },
  '404': { $ref: '#/components/responses/NotFound' },
};
const badRequest = { '400': { $ref: '#/components/responses/BadRequest' } };
const pathParam = (name: string, description: string, example: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
  example,
});
const queryParam = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const code = pathParam('code', "The project's code.", 'twr-a');
const file = {
  description: 'The bytes. Types a browser could run are served as application/octet-stream.',
  headers: {
    'Content-Disposition': { schema: { type: 'string' }, description: 'Always `attachment`.' },
  },
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
};
const get = (summary: string, parameters: object[], responses: object) => ({
  get: { summary, parameters, responses: { ...responses, ...errors } },
});

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Docket API',
    version: VERSION,
    description:
      'Read-only access to the projects a token may see: the correspondence log and threads, ' +
      'attachments, submittals, transmittals and correspondence items (RFIs, notices…). Create a ' +
      'token with `docket token create <email>`; it sees what that person sees. Anything that ' +
      'does not exist or belongs to a project the person is not in answers the same 404.',
  },
  servers: [{ url: '/api' }],
  security: [{ bearerAuth: [] }],
  paths: {
    '/openapi.json': {
      get: {
        summary: 'This document',
        security: [],
        responses: { '200': { description: 'The OpenAPI document.' } },
      },
    },
    '/projects': get('Projects the token may see', [], {
      '200': json('ProjectList', 'Every project for an administrator, else their own.'),
    }),
    '/projects/{code}': get('One project, with counts', [code], {
      '200': json('ProjectDetail', 'The project.'),
    }),
    '/projects/{code}/messages': get(
      'The correspondence log, one keyset page at a time',
      [
        code,
        queryParam('from', "First day, YYYY-MM-DD in the project's time zone."),
        queryParam('to', "Last day, YYYY-MM-DD in the project's time zone."),
        queryParam('sender', 'A mailbox (name@example.com) or a domain (@example.com).'),
        queryParam('recipient', 'A To/Cc mailbox or @domain.'),
        queryParam('type', "Messages in a record's thread.", {
          enum: ['submittal', 'transmittal', 'item'],
        }),
        queryParam('attachments', 'With or without attachments.', { enum: ['yes', 'no'] }),
        {
          ...queryParam('flag', 'Messages carrying any of these flags; repeat for several.', {
            type: 'array',
            items: { enum: ['auto-reply', 'bounce', 'list', 'bulk', 'own', 'parse-warning'] },
          }),
          style: 'form',
          explode: true,
        },
        queryParam(
          'q',
          'Words to find, in messages and in the text of their attachments: "exact phrase", or, -without.',
        ),
        queryParam('sort', 'Order; newest first by default.', {
          enum: ['newest', 'oldest', 'sender', 'subject'],
        }),
        queryParam('limit', 'Rows per page, 1–200 (50).', { type: 'integer' }),
        queryParam('cursor', '`next_cursor` or `prev_cursor` of a page of the same sort.'),
      ],
      { '200': json('MessagePage', 'One page.'), ...badRequest },
    ),
    '/projects/{code}/threads/{id}': get(
      'A thread: its messages, new and elided text, attachments and why each was filed',
      [code, pathParam('id', 'The thread id (`thread_id` of a message).', '42')],
      { '200': json('Thread', 'The thread, oldest message first.') },
    ),
    '/projects/{code}/attachments/{id}': get(
      "An attachment's bytes",
      [code, pathParam('id', 'The attachment id.', '7')],
      { '200': file },
    ),
    '/projects/{code}/submittals': get(
      'The submittal register',
      [
        code,
        queryParam('status', 'open (drafts too) or closed.', { enum: ['open', 'closed'] }),
        queryParam('decision', 'A response such as APPROVED AS NOTED, or none.'),
        queryParam('spec', 'Spec section prefix: 03, 03 30, 03 30 00.'),
        queryParam('bic', 'Part of an address holding the ball.'),
        queryParam('overdue', '1 for overdue only.', { enum: ['1'] }),
        queryParam('q', "Part of the title or number, or words in the submittal's documents."),
      ],
      { '200': json('SubmittalList', 'By spec section and number.'), ...badRequest },
    ),
    '/projects/{code}/submittals/{number}': get(
      'A submittal with its revisions, reviews, documents and audit trail',
      [code, pathParam('number', 'The `slug`, or the number as shown.', '03-30-00-007')],
      { '200': json('SubmittalDetail', 'The submittal.') },
    ),
    '/projects/{code}/transmittals': get('The transmittal log', [code], {
      '200': json('TransmittalList', 'By number, with acknowledgements.'),
    }),
    '/projects/{code}/transmittals/{number}': get(
      'A transmittal with its items and recipients',
      [code, pathParam('number', 'The transmittal number.', 'TR-0042')],
      { '200': json('TransmittalDetail', 'The transmittal.') },
    ),
    '/projects/{code}/transmittals/{number}/items/{position}': get(
      "A transmittal item's file, when it came attached",
      [
        code,
        pathParam('number', 'The transmittal number.', 'TR-0042'),
        pathParam('position', "The item's `position`, from 0.", '0'),
      ],
      { '200': file },
    ),
    '/projects/{code}/items': get(
      'RFIs, notices and other correspondence items',
      [code, queryParam('type', 'Only one type.', { enum: ['RFI', 'NOT', 'COR', 'LTR', 'GEN'] })],
      { '200': json('ItemList', 'In number order.'), ...badRequest },
    ),
    '/projects/{code}/items/{number}': get(
      'An item with its question, answer and audit trail',
      [code, pathParam('number', 'The item number.', 'RFI-007')],
      { '200': json('ItemDetail', 'The item.') },
    ),
  },
  components: {
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        description: 'A token from `docket token create <email>`, e.g. `dkt_…`.',
      },
    },
    responses: {
      BadRequest: json('Error', 'A query parameter could not be used; `error` says why.'),
      Unauthorized: {
        ...json('Error', 'No token, or one that is revoked or unknown.'),
        headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
      },
      NotFound: json('Error', 'No such thing, or it belongs to a project the token cannot see.'),
    },
    schemas,
  },
} as const;
