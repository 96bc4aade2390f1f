/**
 * Executes operations with graphql-jit instead of graphql-js's interpreter. graphql-jit turns a
 * validated document into a JavaScript function once and runs that function for every later
 * request with the same document: the same resolvers (so the door and every policy-shield
 * decision still run for each field), the same null bubbling and error paths, the scalars'
 * own serialisers, without graphql-js walking the AST and checking types per field.
 *
 * It plugs into Apollo Server through its executor hook (the `gateway` option): Apollo still
 * parses (with the token limit), validates (with the query-limit rules and introspection
 * setting), resolves the operation, runs every plugin hook and formats every error; only the
 * execution step is ours.
 *
 * A document graphql-jit cannot compile, and a request whose variables do not coerce, are
 * executed by graphql-js, so its own messages reach the client (nothing has run at that point).
 */
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { log } from '../log';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type SchemaListener = Parameters<Gateway['onSchemaLoadOrUpdate']>[0];

/** Distinct documents kept compiled; the API's clients send a few dozen. */
export const COMPILED_DOCUMENTS = 500;

/** Marks a document left to graphql-js, remembered so it is not recompiled on every request. */
const INTERPRETED = Symbol('interpreted');
type Entry = CompiledQuery<Record<string, unknown>, Record<string, unknown>> | typeof INTERPRETED;

/** A least-recently-used map: a Map keeps insertion order, so the first key is the oldest. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

/**
 * graphql-jit's errors are frozen look-alikes of graphql-js's (read-only message, no extensions
 * object when the cause has none); plugins that rewrite a message (the field-suggestion mask)
 * and Apollo's formatting expect graphql-js's own class, so each error is rebuilt as one.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  (rebuilt as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return rebuilt;
}

/** The `gateway` option for Apollo Server that executes `schema` with compiled queries. */
export function compiledExecution(schema: GraphQLSchema, maxDocuments = COMPILED_DOCUMENTS): Gateway {
  const listeners = new Set<SchemaListener>();
  const compiled = new Lru<Entry>(maxDocuments);

  const compile = (source: string, document: DocumentNode, operationName: string | undefined): Entry => {
    const key = `${operationName ?? ''}\n${source}`;
    let entry = compiled.get(key);
    if (entry === undefined) {
      const result = compileQuery<Record<string, unknown>, Record<string, unknown>>(schema, document, operationName);
      if (isCompiledQuery(result)) entry = result;
      else {
        entry = INTERPRETED;
        log.debug('operation not compiled; graphql-js executes it', { operationName: operationName ?? null, reason: result.errors?.[0]?.message.slice(0, 200) });
      }
      compiled.set(key, entry);
    }
    return entry;
  };

  return {
    onSchemaLoadOrUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async load() {
      for (const listener of listeners) listener({ apiSchema: schema, coreSupergraphSdl: '' });
      return {
        executor: async ({ source, document, request, context }): Promise<ExecutionResult> => {
          const interpret = () => execute({ schema, document, contextValue: context, variableValues: request.variables, operationName: request.operationName });
          const entry = compile(source, document, request.operationName);
          if (entry === INTERPRETED) return interpret();
          const result = await entry.query(undefined, context, request.variables);
          // Without `data` the variables did not coerce and no resolver ran: graphql-js reports it
          // in its own words, which Apollo recognises as BAD_USER_INPUT.
          if (!('data' in result)) return interpret();
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
        },
      };
    },
    async stop() {
      listeners.clear();
    },
  };
}
