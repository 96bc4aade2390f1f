/**
 * The API as it runs in production (NODE_ENV=production), for the tests of what production
 * promises: no introspection, no field suggestions, no internals, HSTS. Production refuses the
 * development keys, so the development public key is handed to it explicitly as
 * JWT_PUBLIC_KEY_FILE (as an operator would hand it the IdP's key), and tokens are minted with
 * the development private key outside the production configuration.
 */
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { devKeyPaths, loadDevSigningKey } from '../../src/auth/keys';
import { mintDevToken, MintOptions } from '../../src/auth/mint';
import { loadConfig } from '../../src/config';
import { startTestApi, TestApi } from './harness';
import { checkpointKeyFile } from './processes';

export interface ProductionApi extends TestApi {
  /** A token the production server accepts, for a demo principal. */
  productionToken(subject: string, options?: Omit<MintOptions, 'subject'>): Promise<string>;
}

/** Starts the API with NODE_ENV=production on a fresh schema (see startTestApi). */
export async function startProductionApi(env: Record<string, string> = {}): Promise<ProductionApi> {
  const devConfig = loadConfig({ ...process.env, NODE_ENV: 'test' });
  await loadDevSigningKey(devConfig);
  const jwk = JSON.parse(fs.readFileSync(devKeyPaths(devConfig).publicFile, 'utf8'));
  const pemFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prod-key-')), 'idp-public.pem');
  fs.writeFileSync(pemFile, createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }));
  const api = await startTestApi({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    JWT_PUBLIC_KEY_FILE: pemFile,
    RESEARCH_PSEUDONYM_KEY: 'test-only-research-key-0123456789abcdef',
    ACCESS_LOG_SIGNING_KEY_FILE: checkpointKeyFile(path.dirname(pemFile)),
    ...env,
  });
  const productionToken: ProductionApi['productionToken'] = (subject, options = {}) =>
    mintDevToken({ ...api.config, production: false }, { subject, ...options });
  return {
    ...api,
    productionToken,
    token: productionToken,
    gql: async (as, query, variables) => api.gql(typeof as === 'string' ? { token: await productionToken(as) } : as, query, variables),
    close: async () => {
      await api.close();
      fs.rmSync(path.dirname(pemFile), { recursive: true, force: true });
    },
  };
}
