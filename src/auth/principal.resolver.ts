import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { DataCategory, Purpose, Role } from '../record/enums';

@ObjectType('Principal')
class PrincipalView {
  @Field({ nullable: false }) subject: string;
  @Field(() => Role, { nullable: false }) role: Role;
  @Field(() => Purpose, { nullable: false }) purpose: Purpose;
  @Field(() => String) organisation: string | null;
  @Field(() => String) boundPatientNumber: string | null;
  @Field(() => [DataCategory], { nullable: false, description: 'What the matrix column, narrowed by the token scope, may read (gates still apply).' })
  categories: DataCategory[];
}

/** `me`: who the API takes the caller to be, and what the policy lets them read. */
@Resolver()
export class PrincipalResolver {
  @Query(() => PrincipalView, { nullable: false })
  me(@Ctx() ctx: RequestContext): PrincipalView {
    const p = ctx.principal;
    return {
      subject: p.subject,
      role: p.role,
      purpose: p.purpose,
      organisation: p.organisation ?? null,
      boundPatientNumber: p.boundPatientNumber ?? null,
      categories: [...ctx.access.readable],
    };
  }
}
