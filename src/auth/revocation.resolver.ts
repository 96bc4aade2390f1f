import { Arg, Ctx, Field, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { badUserInput, forbidden } from '../errors';
import { DateTimeScalar } from '../record/scalars';
import { revokeToken } from './revocation';

@ObjectType('RevokedToken', { description: 'A token id on the deny-list: refused from the next request on.' })
class RevokedTokenView {
  @Field({ nullable: false }) jti: string;
  @Field(() => DateTimeScalar, { nullable: false }) revokedAt: Date;
  @Field({ nullable: false }) reason: string;
}

const MAX_JTI_LENGTH = 200;
const MAX_REASON_LENGTH = 500;

/** `revokeToken`: the privacy officer revokes any token id; anybody else the token they are using. */
@Resolver()
export class RevocationResolver {
  @Mutation(() => RevokedTokenView, { nullable: false })
  async revokeToken(
    @Arg('jti', { nullable: false }) jti: string,
    @Arg('reason', { nullable: false }) reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RevokedTokenView> {
    if (jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw badUserInput(`jti must be 1 to ${MAX_JTI_LENGTH} characters`);
    if (reason.trim().length === 0 || reason.length > MAX_REASON_LENGTH) throw badUserInput(`reason must be 1 to ${MAX_REASON_LENGTH} characters`);
    if (ctx.principal.column !== 'PRIVACY' && jti !== ctx.principal.tokenId) throw forbidden();
    const revoked = await revokeToken(ctx.db, ctx.principal, jti, reason.trim());
    return { jti: revoked.jti, revokedAt: revoked.revokedAt, reason: revoked.reason };
  }
}
