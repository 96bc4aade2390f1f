/**
 * Abusive queries are refused before execution (SPEC §7): GraphQL Armor's validation rules for
 * depth, aliases, directives and cost, and a token limit on the parser. Every refusal carries
 * `extensions.code` QUERY_TOO_COMPLEX and HTTP 400; nothing of the operation has run.
 *
 * The limits leave room for every legitimate operation, measured with armor's own cost function:
 * a clinician's full record with every field (depth 4, cost ≈ 440), the record export's query
 * (≈ 340), the permission tests' probes (≤ 47), 100 patients' names (≈ 3,050) and a page of 20
 * full records (depth 5, ≈ 13,100). test/security/query-limits.test.ts checks them over HTTP.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type GraphQLFormattedError, type ValidationContext, type ValidationRule } from 'graphql';

/** The limits, in one place (docs/security.md quotes them). */
export const QUERY_LIMITS = {
  /** Nesting of selections; the schema's deepest legitimate path (patients → nodes → documents → author → name) is 5. */
  maxDepth: 8,
  /** Aliased fields in one document (`__typename` aliases are free). */
  maxAliases: 30,
  /** Directives (@include/@skip …) in one document. */
  maxDirectives: 20,
  /** Lexical tokens in one document; the full record spelled out is ≈ 450. */
  maxTokens: 5000,
  /** Armor's cost: scalar 1, object 2, ×1.5 per level, × the `first` of a list. */
  maxCost: 20000,
} as const;

export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/** Marks the errors of this module, so the server's formatError can recognise them. */
class QueryTooComplex extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: QUERY_TOO_COMPLEX, http: { status: 400 } } });
  }
}

/** Armor reports through this callback instead of its own BAD_USER_INPUT error. */
const refuse = (ctx: ValidationContext | null, error: GraphQLError): void => {
  const message = `Query too complex: ${error.message.replace(/^Syntax Error: /, '')}`;
  if (ctx) ctx.reportError(new QueryTooComplex(message));
  else throw new QueryTooComplex(message);
};

const rejection = { propagateOnRejection: false, onReject: [refuse] };

/**
 * The Apollo Server options that enforce the limits: armor's validation rules, its
 * field-suggestion mask in production (beside Apollo's hideSchemaDetailsFromClientErrors), and
 * graphql-js's own token limit on the parser.
 *
 * Armor's Apollo max-tokens plugin is not used: it parses every document a second time in
 * `parsingDidStart`, where a refusal is outside Apollo's parse error handling and becomes an
 * HTTP 500. graphql-js's `maxTokens` parse option is the same lexer-level limit, refused as a
 * parse error (HTTP 400) that formatQueryLimitError turns into QUERY_TOO_COMPLEX.
 */
export function queryLimits(production: boolean): { plugins: ApolloServerPlugin<any>[]; validationRules: ValidationRule[]; parseOptions: { maxTokens: number } } {
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ...rejection },
    maxAliases: { n: QUERY_LIMITS.maxAliases, ...rejection },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...rejection },
    costLimit: { maxCost: QUERY_LIMITS.maxCost, ...rejection },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins, validationRules, parseOptions: { maxTokens: QUERY_LIMITS.maxTokens } };
}

/**
 * The client-facing form of a refusal by this module (for the server's formatError), or
 * undefined when the error is something else. Apollo wraps validation errors as
 * GRAPHQL_VALIDATION_FAILED; the original error says it was ours.
 */
export function formatQueryLimitError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | undefined {
  const original = (error as { originalError?: unknown } | null)?.originalError;
  if (error instanceof QueryTooComplex || original instanceof QueryTooComplex) {
    return { message: formatted.message, locations: formatted.locations, extensions: { code: QUERY_TOO_COMPLEX } };
  }
  // graphql-js's own guard: validating overlapping fields (the same field repeated thousands of
  // times) has a work budget, and a document that exhausts it is aborted.
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && formatted.message === 'Validation aborted.') {
    return { message: 'Query too complex: too many overlapping fields', extensions: { code: QUERY_TOO_COMPLEX } };
  }
  // graphql-js's parser stops at maxTokens with a syntax error of its own wording.
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /contains more tha[nt] \d+ tokens/.test(formatted.message)) {
    return { message: `Query too complex: more than ${QUERY_LIMITS.maxTokens} tokens`, extensions: { code: QUERY_TOO_COMPLEX } };
  }
  return undefined;
}
