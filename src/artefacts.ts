/** The checked-in artefacts generated from the code; a test fails when the files are stale. */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { renderPermissionsDoc } from './policy/permissions-doc';
import { buildPolicedSchema } from './schema';

/** File path (relative to the project root) → expected content. */
export function generatedArtefacts(): Record<string, string> {
  const schema = buildPolicedSchema(() => undefined);
  return {
    'schema/schema.graphql': '# Generated from the code by `npm run schema:emit`; do not edit.\n\n' + printSchema(lexicographicSortSchema(schema)) + '\n',
    'schema/permissions.md': renderPermissionsDoc(),
  };
}
