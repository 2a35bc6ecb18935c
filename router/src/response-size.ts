import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RouterErrorCode } from './errors.ts';

/**
 * Caps what one query may send back. The cost limit bounds lists by their size arguments, but some
 * lists are as long as the data (a statistics table, a pesantren's products under each of its
 * cells), so a query within its budget could still build a megabyte: measured here, on the answer
 * itself, before it is sent or cached. Mutations are answered in full: they have already acted,
 * and their caller must learn how.
 */
export function responseSizeLimit<TContext extends object>(maxBytes: number): ApolloServerPlugin<TContext> {
  return {
    requestDidStart: async () => ({
      willSendResponse: async ({ response, operation }) => {
        if (response.body.kind !== 'single' || operation?.operation === 'mutation') return;
        const size = Buffer.byteLength(JSON.stringify(response.body.singleResult));
        if (size <= maxBytes) return;
        const error = new GraphQLError(`The answer would be ${Math.ceil(size / 1024)} KiB; at most ${Math.floor(maxBytes / 1024)} KiB are sent: ask for fewer items or fewer fields`, {
          extensions: { code: RouterErrorCode.RESPONSE_TOO_LARGE, bytes: size, maxBytes },
        });
        response.body.singleResult = { errors: [error.toJSON()] };
      },
    }),
  };
}
