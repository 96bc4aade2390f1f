/** `npm run schema:emit`: writes schema/schema.graphql, schema/permissions.md and the trusted-document manifests from the code. */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { generatedArtefacts } from '../artefacts';

for (const [file, text] of Object.entries(generatedArtefacts())) {
  fs.writeFileSync(path.join(projectRoot(), file), text);
  process.stderr.write(`wrote ${file}\n`);
}
