import { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context';
import { recordedWrite } from '../../audit/recorded-write';
import { badUserInput, notFound } from '../../errors';
import { admittedPatient } from '../../policy/door';
import { AccessAction, DataCategory } from '../enums';
import { Patient } from '../patient/patient.entity';
import { PortalNote } from './portal-note.entity';

const MAX_NOTE_LENGTH = 10_000;

/** The patient's personal notes in the portal: theirs alone ([003]). */
@Resolver(() => Patient)
export class PortalResolver {
  @FieldResolver(() => [PortalNote], { nullable: true })
  portalNotes(@Root() p: Patient, @Ctx() ctx: RequestContext): Promise<PortalNote[]> {
    return ctx.loaders.rowsOf(PortalNote, { createdAt: 'DESC', id: 'ASC' }, p.id);
  }

  @Mutation(() => PortalNote, { nullable: false })
  async addPortalNote(@Arg('text', { nullable: false }) text: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<PortalNote> {
    const trimmed = text.trim();
    if (trimmed.length === 0 || text.length > MAX_NOTE_LENGTH) throw badUserInput(`text must be 1 to ${MAX_NOTE_LENGTH} characters`);
    const patient = admittedPatient(info);
    return recordedWrite(ctx, async (manager) => {
      const note = await manager.save(manager.create(PortalNote, { patientId: patient.id, text }));
      return { result: note, event: { patientId: patient.id, action: AccessAction.CREATE, categories: [DataCategory.PORTAL_NOTES], detail: 'portal note added' } };
    });
  }

  @Mutation(() => Boolean, { nullable: false })
  async deletePortalNote(@Arg('id', () => ID, { nullable: false }) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<boolean> {
    const patient = admittedPatient(info);
    return recordedWrite(ctx, async (manager) => {
      const result = await manager.delete(PortalNote, { id: id.toLowerCase(), patientId: patient.id });
      if (!result.affected) throw notFound('Portal note');
      return { result: true, event: { patientId: patient.id, action: AccessAction.DELETE, categories: [DataCategory.PORTAL_NOTES], detail: 'portal note deleted' } };
    });
  }
}
