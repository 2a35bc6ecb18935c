import { parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';

/**
 * The bench's minimal subgraphs (floor-subgraph.ts, bare-subgraph.ts) parse and validate each
 * document text once, as Apollo Server caches them: the document, or the validation errors to
 * answer with.
 */
export function documentCache(schema: GraphQLSchema): (text: string) => DocumentNode | ExecutionResult {
  const documents = new Map<string, DocumentNode | ExecutionResult>();
  return (text) => {
    let known = documents.get(text);
    if (!known) {
      const document = parse(text);
      const errors = validate(schema, document);
      known = errors.length ? { errors } : document;
      documents.set(text, known);
    }
    return known;
  };
}
