import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { Patient } from '../patient/patient.entity';
import { FinancialCode } from './financial-code.entity';
import { Insurance } from './insurance.entity';

/** Insurance and DBC codes: what care administration and the insurer work with. */
@Resolver(() => Patient)
export class FinancialResolver {
  @FieldResolver(() => Insurance)
  insurance(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<Insurance | null> {
    return ctx.loaders.oneOf(Insurance, p.id);
  }

  @FieldResolver(() => [FinancialCode], { nullable: true })
  financialCodes(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<FinancialCode[]> {
    return ctx.loaders.rowsOf(FinancialCode, { openedOn: 'DESC' }, p.id);
  }
}
