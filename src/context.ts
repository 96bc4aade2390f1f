/** What every resolver and rule of one request sees. Built per request; nothing is shared. */
import type { GraphQLSchema } from 'graphql';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from './auth/principal';
import type { RequestMeta } from './audit/access-log';
import { AccessRecorder } from './audit/recorder';
import type { Config } from './config';
import type { RequestConnection } from './db/row-security';
import { AccessDecisions } from './policy/decisions';
import { RecordLoaders } from './record/loaders';

export interface RequestContext {
  principal: Principal;
  meta: RequestMeta;
  /** The request's own connection, as the API role, under row-level security. */
  db: EntityManager;
  /** The pool, for what is not the request's reading of records (the grouped access-log append). */
  pool: DataSource;
  /** Returns the request's connection (the access-log plugin does, before it appends the reads). */
  finish(): Promise<void>;
  config: Config;
  access: AccessDecisions;
  recorder: AccessRecorder;
  loaders: RecordLoaders;
  /** The policed schema, for operations that re-read the record through the same policy (exports). */
  schema: GraphQLSchema;
}

/** A fresh context for one authenticated request. */
export function createRequestContext(
  pool: DataSource, connection: RequestConnection, config: Config, schema: GraphQLSchema, principal: Principal, meta: RequestMeta,
): RequestContext {
  const recorder = new AccessRecorder();
  const db = connection.manager;
  return {
    principal,
    meta,
    db,
    pool,
    finish: () => connection.release(),
    config,
    recorder,
    access: new AccessDecisions(db, principal, config.gpAccessModel, recorder, () => connection.openForBreakGlass()),
    loaders: new RecordLoaders(db),
    schema,
  };
}
