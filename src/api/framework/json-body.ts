/**
 * @module The JSON body parser: Fastify's own (secure-json-parse, which refuses `__proto__` and
 * `constructor.prototype` keys) with one addition: a malformed body is answered with where it
 * breaks (line, column, byte offset) rather than the engine's message, which can quote the body.
 */
import type { FastifyInstance } from 'fastify';
import { invalidInput } from '../../core/index.js';
import { locateJsonSyntaxError } from './json-syntax.js';

export function installJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // The API speaks JSON only; anything else is 415 (route modules that take other media types add their own parser)
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    parseJson(req, text, (err, value) => {
      if (!err) return done(null, value);
      if (text.trim() === '' || (err as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return done(err, undefined);
      const at = locateJsonSyntaxError(text);
      if (!at) {
        done(invalidInput('request.forbidden_property', 'the request body contains a forbidden property name (__proto__ or constructor.prototype)'), undefined);
        return;
      }
      done(
        invalidInput('request.malformed_json', `the request body is not valid JSON: ${at.reason} at line ${at.line} column ${at.column} (byte ${at.byteOffset})`, {
          location: { line: at.line, column: at.column, byteOffset: at.byteOffset },
        }),
        undefined,
      );
    });
  });
}
