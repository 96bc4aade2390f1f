import fs from 'node:fs';
import path from 'node:path';
import { isIntrospectionType, isObjectType } from 'graphql';
import { generatedArtefacts } from '../../src/artefacts';
import { projectRoot } from '../../src/config';
import { FIELD_POLICY } from '../../src/policy/fields';
import { buildPolicedSchema } from '../../src/schema';

describe('generated artefacts', () => {
  for (const [file, expected] of Object.entries(generatedArtefacts())) {
    test(`${file} is up to date (run npm run schema:emit)`, () => {
      expect(fs.readFileSync(path.join(projectRoot(), file), 'utf8')).toBe(expected);
    });
  }
});

describe('every field has an explicit policy entry', () => {
  const schema = buildPolicedSchema(() => undefined);
  const objectTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && !isIntrospectionType(t));

  test.each(objectTypes.map((t) => [t.name, t]))('%s', (_name, type) => {
    const fields = Object.keys((type as any).getFields());
    const policed = Object.keys(FIELD_POLICY[(type as any).name] ?? {});
    expect(fields.filter((f) => !policed.includes(f))).toEqual([]);
  });

  test('the policy names no field the schema lacks (a stale entry would hide a rename)', () => {
    const missing: string[] = [];
    for (const [type, fields] of Object.entries(FIELD_POLICY)) {
      const t = schema.getType(type);
      for (const field of Object.keys(fields)) if (!t || !isObjectType(t) || !t.getFields()[field]) missing.push(`${type}.${field}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('the schema documents its permissions, from the policy', () => {
  const schema = buildPolicedSchema(() => undefined);
  test('every category field names its category and readers; every operation who may call it', () => {
    const undocumented: string[] = [];
    for (const [type, fields] of Object.entries(FIELD_POLICY)) {
      const t = schema.getType(type);
      if (!isObjectType(t)) continue;
      for (const [field, policy] of Object.entries(fields)) {
        const description = t.getFields()[field]?.description ?? '';
        const expected = policy.kind === 'category' ? `Policy: category ${policy.category}; readable by ` : policy.kind === 'operation' ? 'Policy: open to ' : null;
        if (expected && !description.includes(expected)) undocumented.push(`${type}.${field}`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(schema.getQueryType()!.getFields().breakGlassReviewQueue.description).toContain('open to PRIVACY_OFFICER/ACCOUNTABILITY. Reads ACCESS_LOG.');
  });
});
