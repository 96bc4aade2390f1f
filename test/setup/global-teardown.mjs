export default async function globalTeardown() {
  if (globalThis.__embeddedPostgres) await globalThis.__embeddedPostgres.stop();
}
