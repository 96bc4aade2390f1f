/**
 * Which fields the shield wraps. Contained fields keep their own resolver (no async middleware per
 * value, see policy/shield.ts); every other field, and any field without a policy entry, still
 * consults the policy: with a context that admits nothing, each of them answers FORBIDDEN.
 */
import { GraphQLError, GraphQLObjectType, GraphQLSchema, defaultFieldResolver, isIntrospectionType, isObjectType } from 'graphql';
import { FIELD_POLICY } from '../../src/policy/fields';
import { buildPolicedSchema } from '../../src/schema';

const schema: GraphQLSchema = buildPolicedSchema(() => undefined);
const objectTypes = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !isIntrospectionType(t));

/** A request that passed no gate and whose principal is in no matrix column. */
const admitsNothing = {
  principal: { column: 'NONE' },
  access: { isAdmitted: () => false, allows: () => false, documentTypes: () => [] },
};

const fields = objectTypes.flatMap((type) => Object.keys(type.getFields()).map((name) => ({ type, name, policy: FIELD_POLICY[type.name]?.[name] })));

test.each(fields.filter((f) => f.policy?.kind !== 'contained').map((f) => [`${f.type.name}.${f.name}`, f]))(
  '%s consults the policy',
  async (_label, { type, name }) => {
    const field = type.getFields()[name];
    const parent = { id: '00000000-0000-4000-8000-000000000000', patientId: '00000000-0000-4000-8000-000000000000', patientNumber: 'P-0001' };
    const result = await field.resolve!(parent, {}, admitsNothing, { fieldName: name, parentType: type } as never);
    expect(result).toBeInstanceOf(GraphQLError);
    expect((result as GraphQLError).extensions.code).toBe('FORBIDDEN');
  },
);

test('contained fields are left to their own resolver; plain values resolve synchronously, with no promise per value', async () => {
  const contained = fields.filter((f) => f.policy?.kind === 'contained');
  let synchronous = 0;
  for (const { type, name } of contained) {
    const resolve = type.getFields()[name].resolve ?? defaultFieldResolver;
    let outcome: unknown;
    try {
      outcome = resolve({ [name]: `value of ${name}` }, {}, admitsNothing, { fieldName: name, parentType: type } as never);
      if (outcome === `value of ${name}`) synchronous += 1;
      outcome = await outcome;
    } catch (error) {
      outcome = error; // a resolver of our own (e.g. ClinicalDocument.author) needs a real request
    }
    expect(outcome instanceof GraphQLError && outcome.extensions.code === 'FORBIDDEN').toBe(false);
  }
  expect(synchronous).toBeGreaterThan(100);
});
