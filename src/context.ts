/** What every resolver and rule of one request sees. Built per request; nothing is shared. */
import type { GraphQLSchema } from 'graphql';
import { DataSource } from 'typeorm';
import type { Principal } from './auth/principal';
import type { RequestMeta } from './audit/access-log';
import { AccessRecorder } from './audit/recorder';
import type { Config } from './config';
import { AccessDecisions } from './policy/decisions';
import { RecordLoaders } from './record/loaders';

export interface RequestContext {
  principal: Principal;
  meta: RequestMeta;
  db: DataSource;
  config: Config;
  access: AccessDecisions;
  recorder: AccessRecorder;
  loaders: RecordLoaders;
  /** The policed schema, for operations that re-read the record through the same policy (exports). */
  schema: GraphQLSchema;
}

/** A fresh context for one authenticated request. */
export function createRequestContext(db: DataSource, config: Config, schema: GraphQLSchema, principal: Principal, meta: RequestMeta): RequestContext {
  const recorder = new AccessRecorder();
  return {
    principal,
    meta,
    db,
    config,
    recorder,
    access: new AccessDecisions(db.manager, principal, config.gpAccessModel, recorder),
    loaders: new RecordLoaders(db.manager),
    schema,
  };
}
