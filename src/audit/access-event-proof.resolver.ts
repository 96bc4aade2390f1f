import DataLoader from 'dataloader';
import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { AccessEvent } from './access-event.entity';
import { InclusionEvidence, inclusionEvidence } from './tlog/proofs';

@ObjectType('AccessEventProof', { description: 'Evidence that the event is in the signed log: RFC 9162 inclusion proof and the checkpoint it leads to.' })
export class AccessEventProof {
  @Field(() => Int, { nullable: false, description: 'The event\'s position in the tree (0-based).' }) leafIndex: number;
  @Field(() => Int, { nullable: false, description: 'The size of the checkpoint\'s tree.' }) treeSize: number;
  @Field({ nullable: false, description: 'SHA-256(0x00 || leaf), base64.' }) leafHash: string;
  @Field(() => [String], { nullable: false, description: 'The audit path, base64, leaf to root.' }) auditPath: string[];
  @Field({ nullable: false, description: 'The checkpoint as a C2SP signed note.' }) checkpoint: string;
}

// One loader per request: the proofs of a page are computed from one read of the tree.
const loaders = new WeakMap<RequestContext, DataLoader<string, InclusionEvidence | undefined>>();

function loaderOf(ctx: RequestContext) {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const found = await inclusionEvidence(ctx.db, [...ids]);
      return ids.map((id) => found.get(id));
    });
    loaders.set(ctx, loader);
  }
  return loader;
}

/** The proof of an event listed by accessLog or the review queue (already admitted by the door). */
@Resolver(() => AccessEvent)
export class AccessEventProofResolver {
  @FieldResolver(() => AccessEventProof, { nullable: true, description: 'Null until the event is in a checkpoint (at most ACCESS_LOG_CHECKPOINT_SECONDS).' })
  async proof(@Root() event: AccessEvent, @Ctx() ctx: RequestContext): Promise<AccessEventProof | null> {
    const evidence = await loaderOf(ctx).load(event.id);
    if (!evidence) return null;
    return {
      leafIndex: evidence.leafIndex,
      treeSize: evidence.treeSize,
      leafHash: evidence.leafHash.toString('base64'),
      auditPath: evidence.auditPath.map((h) => h.toString('base64')),
      checkpoint: evidence.checkpoint,
    };
  }
}
