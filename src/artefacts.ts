/** The checked-in artefacts generated from the code; a test fails when the files are stale. */
import { lexicographicSortSchema, printSchema } from 'graphql';
import path from 'node:path';
import { projectRoot } from './config';
import { manifestsFromSources } from './http/trusted-documents';
import { renderPermissionsDoc } from './policy/permissions-doc';
import { buildPolicedSchema } from './schema';

/** Where the shipped trusted documents live: `<client>/*.graphql` sources and the `<client>.json` manifests made from them. */
export const TRUSTED_DOCUMENTS_SOURCES = 'src/policy/trusted-documents';

/** File path (relative to the project root) → expected content. */
export function generatedArtefacts(): Record<string, string> {
  const schema = buildPolicedSchema(() => undefined);
  const manifests = manifestsFromSources(path.join(projectRoot(), TRUSTED_DOCUMENTS_SOURCES));
  return {
    ...Object.fromEntries(Object.entries(manifests).map(([file, text]) => [`${TRUSTED_DOCUMENTS_SOURCES}/${file}`, text])),
    'schema/schema.graphql': '# Generated from the code by `npm run schema:emit`; do not edit.\n\n' + printSchema(lexicographicSortSchema(schema)) + '\n',
    'schema/permissions.md': renderPermissionsDoc(),
  };
}
