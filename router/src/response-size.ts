import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type FormattedExecutionResult } from 'graphql';
import { RouterErrorCode } from './errors.ts';
import { bytesAddedByEscapes } from './result-shaping.ts';

/** What Apollo sends for an answer: its fields in the order the spec lists them, as JSON, and a newline. */
const serialize = (result: FormattedExecutionResult): string => `${JSON.stringify({ errors: result.errors, data: result.data, extensions: result.extensions })}\n`;

interface Serialized {
  errors: FormattedExecutionResult['errors'];
  extensions: FormattedExecutionResult['extensions'];
  text: string;
}

/**
 * Caps what one query may send back. The cost limit bounds lists by their size arguments, but some
 * lists are as long as the data (a statistics table, a pesantren's products under each of its
 * cells), so a query within its budget could still build a megabyte: measured here, on the answer
 * itself, before it is sent or cached. Mutations are answered in full: they have already acted,
 * and their caller must learn how.
 *
 * The answer is measured by serialising it, and that text is what is sent: `stringify` is
 * Apollo's `stringifyResult`, and hands back the text already made for the very same answer, so
 * sending it costs no second serialisation (a search page's answer is tens of kilobytes of JSON).
 * Each text is handed back once and then forgotten: a cached answer's data lives on in the
 * response cache, and its text must not live on with it.
 */
export class ResponseSizeLimit {
  readonly #maxBytes: number;
  /** By the answer's `data`: Apollo hands `stringifyResult` a new object holding the same parts. */
  readonly #serialized = new WeakMap<object, Serialized>();

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  plugin<TContext extends object>(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => ({
        willSendResponse: async ({ response, operation }) => {
          if (response.body.kind !== 'single' || operation?.operation === 'mutation') return;
          const result = response.body.singleResult;
          const text = serialize(result);
          // Measured as UTF-8, without what escaping added to the text (result-shaping.ts). UTF-8
          // takes at most three bytes for each UTF-16 unit (a surrogate pair, two units, takes
          // four), so a text of at most a third of the cap in units is within it without its bytes
          // being counted: counting walks the whole text, on every answer.
          const size = (text.length - 1) * 3 <= this.#maxBytes ? 0 : Buffer.byteLength(text) - 1 - bytesAddedByEscapes(result.data);
          if (size <= this.#maxBytes) {
            if (result.data) this.#serialized.set(result.data, { errors: result.errors, extensions: result.extensions, text });
            return;
          }
          const error = new GraphQLError(`The answer would be ${Math.ceil(size / 1024)} KiB; at most ${Math.floor(this.#maxBytes / 1024)} KiB are sent: ask for fewer items or fewer fields`, {
            extensions: { code: RouterErrorCode.RESPONSE_TOO_LARGE, bytes: size, maxBytes: this.#maxBytes },
          });
          response.body.singleResult = { errors: [error.toJSON()] };
        },
      }),
    };
  }

  /** Apollo's `stringifyResult`: the text measured for this answer when nothing in it changed since, else a new one. */
  readonly stringify = (value: FormattedExecutionResult): string => {
    const known = value.data ? this.#serialized.get(value.data) : undefined;
    if (!known) return serialize(value);
    this.#serialized.delete(value.data!);
    return known.errors === value.errors && known.extensions === value.extensions ? known.text : serialize(value);
  };
}
