/**
 * Turns FIELD_POLICY into the graphql-shield rule tree. Every rule is O(1): it reads the
 * decision made once for the request (decisions.ts) and never touches the database.
 */
import { GraphQLError } from 'graphql';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRule, IRules } from 'graphql-shield';
import { middleware } from 'graphql-middleware';
import type { IMiddlewareGenerator, IMiddlewareTypeMap } from 'graphql-middleware';

type AnyRule = IRule | typeof allow;
import type { RequestContext } from '../context';
import { forbidden, internalError, isClientSafe } from '../errors';
import { FIELD_POLICY, FieldPolicy } from './fields';
import { DataCategory, DocumentType } from './vocabulary';

/** The patient a field's parent object belongs to: the patient itself, or a row's patientId. */
function patientOf(parent: unknown): string | undefined {
  const p = parent as { patientId?: string; id?: string; patientNumber?: string } | null;
  if (!p) return undefined;
  return p.patientId ?? (p.patientNumber !== undefined ? p.id : undefined);
}

const rules = new Map<string, IRule>();
/** graphql-shield refuses two rules of the same name, so each rule is made once. */
function memo(name: string, make: () => IRule): IRule {
  let r = rules.get(name);
  if (!r) rules.set(name, (r = make()));
  return r;
}

function ruleFor(policy: FieldPolicy): AnyRule {
  switch (policy.kind) {
    case 'contained':
      return allow;
    case 'patientHandle':
      return memo('patientHandle', () =>
        rule('patientHandle', { cache: 'no_cache' })((parent: { id: string }, _a, ctx: RequestContext) => ctx.access.isAdmitted(parent.id)));
    case 'category':
      return memo(`category:${policy.category}`, () =>
        rule(`category:${policy.category}`, { cache: 'no_cache' })((parent, _a, ctx: RequestContext) =>
          ctx.access.allows(patientOf(parent), policy.category as DataCategory)));
    case 'documents':
      return memo('documents', () =>
        rule('documents', { cache: 'no_cache' })((parent: { id: string }, args: { types?: DocumentType[] }, ctx: RequestContext) =>
          ctx.access.documentTypes(parent.id, args.types).length > 0));
    case 'operation': {
      const name = `operation:${[...policy.columns].sort().join(',')}`;
      return memo(name, () =>
        rule(name, { cache: 'no_cache' })((_p, _a, ctx: RequestContext) => policy.columns.includes(ctx.principal.column)));
    }
  }
}

/** The rule tree: one rule per field of FIELD_POLICY; anything else falls back to deny. */
export function policyRuleTree(): IRules {
  const tree: Record<string, Record<string, AnyRule>> = {};
  for (const [type, fields] of Object.entries(FIELD_POLICY)) {
    tree[type] = Object.fromEntries(Object.entries(fields).map(([field, policy]) => [field, ruleFor(policy)]));
  }
  return tree as IRules;
}

/**
 * The shield middleware. A rule saying no gives FORBIDDEN; an error of ours thrown by a resolver
 * passes unchanged; anything else is reported without internals.
 *
 * Fields whose policy is `contained` are left out of the middleware, so they keep their original
 * resolver. graphql-shield wraps EVERY field in an async middleware, `allow` ones too (its issues
 * #416, #812, #1522): a record with 1,000 lab results would pay 8,000 promises that decide
 * nothing. A contained field is reachable only through the policed field above it, whose rule has
 * already decided (a denied parent is null and its children never run), so skipping the wrapper
 * changes no decision. Everything else stays wrapped: patient categories, documents, the patient
 * handle, operations, and any field missing from FIELD_POLICY (the fallback deny).
 */
export function policyShield(onInternalError: (error: unknown) => void): IMiddlewareGenerator<unknown, RequestContext, unknown> {
  const policed = shieldWithEveryField(onInternalError);
  return middleware((schema) => {
    const perType = policed.generate(schema) as Record<string, Record<string, unknown>>;
    for (const [type, fields] of Object.entries(FIELD_POLICY)) {
      for (const [field, policy] of Object.entries(fields)) {
        if (policy.kind === 'contained' && perType[type]) delete perType[type][field];
      }
    }
    return perType as IMiddlewareTypeMap;
  });
}

function shieldWithEveryField(onInternalError: (error: unknown) => void) {
  return shield(policyRuleTree(), {
    fallbackRule: deny,
    allowExternalErrors: false,
    debug: false,
    fallbackError: (thrown: unknown) => {
      if (thrown === null || thrown === undefined) return forbidden();
      if (isClientSafe(thrown)) return thrown as GraphQLError;
      onInternalError(thrown);
      return internalError();
    },
  });
}
